## فرمان‌های کارکنان: /open، /overdue، /case
case-open-title = 📂 پرونده‌های باز در حوزه شما: { $count }
case-open-empty = ✅ هیچ پرونده بازی در حوزه شما نیست.
case-overdue-title = ⏰ پرونده‌های دیرکرد در حوزه شما: { $count }
case-overdue-empty = ✅ هیچ پرونده‌ای در حوزه شما از مهلتش نگذشته است.
case-list-line = <code>{ $code }</code> — { $category } — { $status } — { $region } — { $sla } — { $assignee }
case-list-more = …و { $count } مورد دیگر
case-age = ثبت { $hours ->
    [0] کمتر از یک ساعت
   *[other] { $hours } ساعت
} پیش
case-overdue-by = ⏰ { $hours ->
    [0] کمتر از یک ساعت
   *[other] { $hours } ساعت
} دیرکرد
case-unassigned = بدون مسئول
case-usage = کد رهگیری را این‌طور بفرستید: { -lrm }/case 1234-5678
case-due-in = ⏱ { $hours ->
    [0] کمتر از یک ساعت
   *[other] { $hours } ساعت
} تا پایان مهلت
case-photos = 📷 عکس‌ها: { $photos }
case-escalation = ⏫ ارجاع‌شده به مدیران (سطح { $level })
case-feedback = ⭐ نظر شهروند: { $answer }
case-feedback-fixed = رفع شد ✅
case-feedback-not-fixed = رفع نشد ❌
case-feedback-rating = امتیاز { $rating } از ۵
case-answers-title = 💬 پاسخ‌های شهروند:
case-answer =
    ❓ { $question }
    ↩️ { $answer }
case-history-title = 🗂 سابقه کامل ({ $count } رویداد):
case-history-line = ▫️ { $date } · { $visibility } · { $what } · { $who }
case-history-note = ↳ { $note }
case-history-public = 🌐 عمومی
case-history-internal = 🔒 داخلی
case-history-earlier = … { $count } رویداد قدیمی‌تر نمایش داده نشد

## مدیریت کارکنان: /staff (فقط راهبران، فقط در گفتگوی خصوصی)
staff-admin-private-only = فرمان { -lrm }/staff فقط در گفتگوی خصوصی با ربات کار می‌کند.
staff-admin-usage =
    راهنمای فرمان { -lrm }/staff:
    { -lrm }/staff list — فهرست کارکنان فعال
    { -lrm }/staff add telegram:12345 official regions=r1,r2 departments=roads name=نام و نام خانوادگی
    { -lrm }/staff role telegram:12345 manager
    { -lrm }/staff scope telegram:12345 regions=r1 departments=water,roads
    { -lrm }/staff remove telegram:12345
    نقش‌ها: official (کارشناس)، manager (مدیر)، admin (راهبر سامانه)
staff-admin-bad-target = «{ $input }» شناسه معتبری نیست. شناسه را به شکل platform:userId بنویسید، مانند telegram:12345 یا bale:12345.
staff-admin-bad-role = «{ $input }» نقش معتبری نیست. نقش‌ها: official، manager، admin.
staff-admin-bad-option = گزینه «{ $input }» را نمی‌شناسم. گزینه‌ها: regions=…، departments=… و (فقط در add) name=…
staff-admin-unknown-regions = این منطقه‌ها وجود ندارند: { $keys }
staff-admin-unknown-departments = این واحدها وجود ندارند: { $keys }
staff-admin-self-lockout = نمی‌توانید خودتان را حذف کنید یا نقش راهبری‌تان را بگیرید؛ این کار را از راهبر دیگری بخواهید.
staff-admin-not-found = کارمند فعالی با شناسه { $id } وجود ندارد.
staff-admin-added = ✅ کارمند افزوده شد:
staff-admin-updated = ✅ کارمند به‌روز شد:
staff-admin-removed = 🗑 کارمند { $id } غیرفعال شد و دیگر نمی‌تواند روی پرونده‌ها کاری انجام دهد.
staff-admin-released = { $count } پرونده باز او به صف برگشت؛ کارت‌هایشان این را نشان می‌دهند.
staff-admin-member = { $id } · { $name } · { $role } · مناطق: { $regions } · واحدها: { $departments }
staff-admin-no-name = (بی‌نام)
staff-admin-no-scope = ⚠️ این فرد هیچ منطقه یا واحدی ندارد و پرونده‌ای نمی‌بیند؛ با { -lrm }/staff scope حوزه‌اش را تعیین کنید.
staff-admin-list-title = 👥 کارکنان فعال ({ $count }):
staff-admin-list-empty = هنوز هیچ کارمند فعالی ثبت نشده است.
staff-role-official = کارشناس
staff-role-manager = مدیر
staff-role-admin = راهبر سامانه

## /stats
stats-usage = { -lrm }/stats یا { -lrm }/stats 7d یا { -lrm }/stats 30d را بفرستید (هر تعداد روز تا { $max }).
stats-title-regions = 📊 کارنامه مناطق، { $from } تا { $to }
stats-title-departments = 📊 کارنامه واحدها، { $from } تا { $to }

## /visits (مدیران و راهبران سامانه)
visits-usage = { -lrm }/visits یا { -lrm }/visits 7d یا { -lrm }/visits 30d را بفرستید (هر تعداد روز تا { $max }).
visits-title = 🚶 بازدیدهای میدانی، { $days } روز گذشته
visits-empty = در { $days } روز گذشته هیچ بازدید میدانی ثبت نشده است.
visits-by-region = به تفکیک منطقه
visits-by-official = به تفکیک کارشناس
visits-col-count = بازدید
visits-col-onsite = حضوری
visits-col-first = انتظار
visits-more = …و { $count } ردیف دیگر (در جمع کل آمده است).
visits-legend = بازدید: شمار بازدیدهای این بازه (پرونده‌ای که دو بار بازدید شده، دو بار شمرده می‌شود). حضوری: درصد بازدیدهایی که در محل انجام شده است. انتظار: میانه ساعت‌ها از ثبت تا نخستین بازدید، برای پرونده‌هایی که نخستین بازدیدشان در این بازه بوده است (برای هر کارشناس: پرونده‌هایی که نخستین بازدید را او انجام داده است).
