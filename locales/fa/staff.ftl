## کارت پرونده (گروه کارکنان)
card-title = 📋 پرونده <b>{ $code }</b> — { $status }
card-category = { $category } · { $region }
card-no-region = بدون منطقه
card-needs-location-check = ⚠️ نیاز به بررسی محل
card-created = 🕒 ثبت { $created } · مهلت { $due }
card-reporter = 👤 { $reporter }
card-assignee = 🧑‍🔧 مسئول: { $name }
card-priority = 🔺 اولویت { $level } (بازگشایی توسط شهروند)
card-duplicate-of = 🔗 تکراری از { $code }
card-last-action = آخرین اقدام: { $who } — { $what } ({ $when })
card-superseded = ⤵️ این کارت قدیمی است؛ کارت جدیدتر را در پایین ببینید.
card-photos = 📷 عکس‌های پرونده { $code }
card-btn-take = 🙋 برعهده می‌گیرم
card-btn-assign = 👥 واگذاری…
card-btn-progress = 🛠 در حال انجام
card-btn-resolve = ✅ رسیدگی شد
card-btn-reject = ⛔ رد
card-btn-dup = 🔗 تکراری
card-btn-note = 💬 پیام به شهروند
card-btn-ask = ❓ پرسش از شهروند
card-btn-inote = 📝 یادداشت داخلی
actor-citizen = شهروند
actor-staff = کارشناس
actor-system = سامانه
history-status = { $status }
history-assign = واگذاری ({ $status })
history-note = یادداشت
history-info_request = پرسش از شهروند
history-citizen_reply = پاسخ شهروند
history-feedback = نظر شهروند
history-escalation = ارجاع به مدیران
history-reminder = یادآوری
history-unassign = بازگشت به صف ({ $status })
card-unassigned = ⚠️ بدون مسئول: کارشناس مسئول از کارکنان خارج شد. برعهده بگیرید یا واگذار کنید.
history-card = کارت
# واقعیت‌های یک رویداد سابقه (views/history.ts): عددها عدد می‌مانند تا با رقم فارسی نوشته شوند
history-fact-fixed = مشکل رفع شد ✅
history-fact-not-fixed = مشکل رفع نشد ❌
history-fact-rating = امتیاز { $rating } از ۵
history-fact-distance = { $distance } متر تا نقطه گزارش
history-fact-escalation = { $reason ->
    [overdue] مهلت رسیدگی گذشته است
    [reminders] یادآوری‌ها بی‌پاسخ ماند
   *[not_fixed] شهروند گفت مشکل رفع نشده است
  }
history-fact-reminder = { $reason ->
   *[feedback] نظرخواهی از شهروند
  }
history-fact-duplicate = تکراری از { $code }
history-fact-separator = {" · "}
history-what-facts = { $what }: { $facts }

## اقدامات کارکنان
staff-only = این کار فقط برای کارکنان ثبت‌شده مجاز است.
staff-not-allowed = نقش شما اجازه این کار را نمی‌دهد.
staff-out-of-scope = این پرونده در منطقه یا واحد شما نیست.
staff-case-not-found = این پرونده دیگر وجود ندارد.
staff-conflict = کسی همین الان این پرونده را تغییر داد. کارت به‌روز شد؛ دوباره تلاش کنید.
staff-not-possible = اکنون ممکن نیست: وضعیت پرونده «{ $status }» است.
## دکمه‌ای که چیزی را تغییر نمی‌دهد (فقط هشدار برای فشارنده)
staff-already-yours = پرونده { $code } از قبل بر عهده شماست؛ چیزی تغییر نکرد.
staff-already-in-progress = پرونده { $code } از قبل در حال انجام است؛ چیزی تغییر نکرد.
staff-already-theirs = پرونده { $code } از قبل بر عهده { $name } است؛ چیزی تغییر نکرد.
staff-held-by-other = پرونده { $code } بر عهده { $name } است. برای سپردن آن به کارشناس دیگر، مدیر از «{ card-btn-assign }» استفاده می‌کند.
staff-done-take = پرونده { $code } را برعهده گرفتید.
staff-done-progress = پرونده { $code } در حال انجام است.
staff-done-assign = پرونده { $code } به { $name } واگذار شد.
staff-done-resolve = پرونده { $code } رسیدگی‌شده ثبت شد؛ به شهروند خبر داده شد و نظرش پرسیده شد.
staff-done-reject = پرونده { $code } رد شد؛ دلیل برای شهروند فرستاده شد.
staff-done-dup = پرونده { $code } تکراری ثبت شد؛ دنبال‌کنندگانش به پرونده اصلی منتقل شدند.
staff-done-note = پیام برای شهروند پرونده { $code } فرستاده شد.
staff-done-inote = یادداشت داخلی به پرونده { $code } افزوده شد.
staff-done-ask = پرسش برای شهروند پرونده { $code } فرستاده شد. پاسخش همین‌جا نمایش داده می‌شود.
staff-assign-pick = واگذاری پرونده { $code } به:
staff-assign-nobody = کس دیگری به منطقه یا واحد پرونده { $code } رسیدگی نمی‌کند.
staff-assign-invalid = این فرد نمی‌تواند این پرونده را بگیرد.
staff-prompt-resolve = { $who }، شرح رسیدگی پرونده { $code } را در پاسخ بنویسید (شهروند آن را می‌خواند).
staff-prompt-reject = { $who }، دلیل رد پرونده { $code } را در پاسخ بنویسید (شهروند آن را می‌خواند).
staff-prompt-dup = { $who }، کد رهگیری پرونده‌ای را که { $code } تکرار آن است در پاسخ بنویسید.
staff-prompt-note = { $who }، پیام خود برای شهروند پرونده { $code } را در پاسخ بنویسید.
staff-prompt-inote = { $who }، یادداشت داخلی پرونده { $code } را در پاسخ بنویسید (فقط کارکنان می‌بینند).
staff-prompt-ask = { $who }، پرسش خود از شهروند پرونده { $code } را در پاسخ بنویسید.
staff-prompt-after-photo = { $who }، یک عکس «پس از رسیدگی» بفرستید یا «{ staff-skip-photo }» را بزنید.
staff-prompt-after-photo-hint = لطفاً عکس بفرستید یا «{ staff-skip-photo }» را بزنید.
staff-skip-photo = بدون عکس
staff-after-photo-unreadable = عکس «پس از رسیدگی» به‌صورت تصویر باز نشد؛ پرونده رسیدگی‌شده ثبت نشد. دوباره «{ card-btn-resolve }» را بزنید و عکس دیگری بفرستید یا «{ staff-skip-photo }» را بزنید.
staff-finish-input = لطفاً ابتدا متن را در پاسخ بنویسید یا { -lrm }/cancel را بفرستید.
staff-text-too-long = این متن { $length } نویسه است؛ سقف { $max } نویسه است.
staff-dup-bad-code = این کد رهگیری معتبر نیست. کدی مانند { -lrm }1234-5678{ -lrm } بنویسید.
staff-dup-not-found = پرونده بازی با این کد وجود ندارد.
staff-input-cancelled = لغو شد.
staff-citizen-reply =
    💬 پاسخ شهروند در پرونده <b>{ $code }</b>
    پرسش: { $question }
    پاسخ: { $answer }
staff-reopened = 🔁 شهروند می‌گوید پرونده <b>{ $code }</b> رفع نشده است: پرونده با اولویت بالاتر دوباره باز شد و به مدیران ارجاع شد.
