## پیام‌های کنارگذاشته صف ارسال: به گروه مدیران و مدیران سامانه خبر داده می‌شود

# LRM (U+200E) on both sides of every left-to-right token (code, chat id, error, command), see DESIGN.md "Bidi".
-lrm = {"\u200E"}

dead-alert-title = ⚠️ پیامی به مقصد نرسید و کنار گذاشته شد
dead-alert-what = پیام: { $what }
dead-alert-case = پرونده: { $code }
dead-alert-to = گیرنده: { $to }
dead-alert-error = خطا: { $error }
dead-alert-refused = پیام‌رسان آن را نپذیرفت؛ فرستادن دوباره به‌صورت متن ساده و بی‌دکمه هم پذیرفته نشد.
dead-alert-attempts = پس از { $attempts } بار تلاش فرستاده نشد.
dead-alert-doctor = فهرست پیام‌های کنارگذاشته: { -lrm }npm run doctor{ -lrm } را روی سرور اجرا کنید.
dead-alert-to-staff = گروه کارکنان { $chat } در { $platform }
dead-alert-to-managers = گروه مدیران در { $platform }
dead-alert-to-staff_member = گفت‌وگوی خصوصی یکی از کارکنان در { $platform }
dead-alert-to-citizen = یک شهروند در { $platform }
dead-alert-platform = { $platform ->
    [bale] بله
   *[other] تلگرام
}
dead-alert-kind = { $kind ->
    [status_changed] خبر وضعیت برای شهروند
    [site_visit] خبر بازدید میدانی برای شهروند
    [case_note] یادداشت برای شهروند
    [resolution] پیام رسیدگی برای شهروند
    [info_request] پرسش از شهروند
    [feedback_reminder] یادآوری نظرخواهی برای شهروند
    [staff_card] کارت پرونده
    [staff_photos] عکس‌های پرونده
    [staff_visit] عکس‌های بازدید میدانی
    [staff_location] موقعیت پرونده
    [staff_citizen_reply] پاسخ شهروند
    [staff_reopened] خبر بازگشایی پرونده
    [staff_reminder] یادآوری پرونده‌های معوق
    [escalation] ارجاع به مدیران
    [daily_digest] گزارش روزانه
    [weekly_table] کارنامه هفتگی
   *[other] { -lrm }{ $kind }{ -lrm }
}

## گروه کارکنانی که از صف عقب افتاده است: پرونده‌های تازه اول فهرست می‌شوند و کارت کاملشان در پی می‌آید

group-digest-title = 📥 { $count ->
    [one] یک پرونده تازه
   *[other] { $count } پرونده تازه
}
group-digest-line = { $n }. { $code } · { $category } · { $place } · { $age }
group-digest-age = { $minutes ->
    [0] همین حالا
   *[other] { $minutes } دقیقه پیش
}
group-digest-no-place = جای آن روی نقشه
group-digest-hint = پیام‌های این گروه بیش از آن است که یک‌جا فرستاده شود؛ کارت کامل پرونده‌ها به ترتیب می‌رسد. برای دیدن کارت یک پرونده همین حالا، دکمه‌اش را بزنید یا { -lrm }/case{ -lrm } را با کد آن بفرستید.
group-digest-button = 📋 { $code }
group-digest-posting = کارت پرونده { $code } همین حالا فرستاده می‌شود.
group-digest-posted = کارت پرونده { $code } پیش‌تر فرستاده شده یا در راه است.
