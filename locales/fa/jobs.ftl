## کارهای زمان‌بندی‌شده: یادآوری، ارجاع به مدیران، گزارش روزانه، کارنامه هفتگی

# یک پیام برای هر گروه کارکنان
reminder-title = ⏰ یادآوری: { $count } پرونده از مهلت گذشته است
reminder-line = • { $code } · { $category } · { $late }
reminder-late-first = { $hours ->
    [0] کمتر از یک ساعت
   *[other] { $hours } ساعت
} بی‌پاسخ پس از مهلت پاسخ اول
reminder-late-resolve = { $hours ->
    [0] کمتر از یک ساعت
   *[other] { $hours } ساعت
} گذشته از مهلت رسیدگی
reminder-more = …و { $count } پرونده دیگر (فهرست کامل: { -lrm }/open)

# ارجاع به مدیران
escalation-title = 🚨 ارجاع به مدیران: پرونده { $code }
escalation-level = سطح ارجاع: { $level }
escalation-reason-overdue = { $hours } ساعت از مهلت رسیدگی گذشته است.
escalation-reason-reminders = { $reminders } بار یادآوری شده و هنوز رسیدگی نشده است.
escalation-reason-not_fixed = شهروند می‌گوید مشکل رفع نشده است؛ پرونده دوباره باز شد.
escalation-case = { $category } · { $region } · وضعیت: { $status }
escalation-no-region = بدون منطقه
escalation-history = آخرین رویدادها:
escalation-history-line = • { $when } — { $who }: { $what }
escalation-history-note = { $line } («{ $note }»)

# گزارش روزانه
digest-title-chat = 📊 گزارش روزانه پرونده‌های این گروه — { $date }
digest-title-all = 📊 گزارش روزانه همه مناطق — { $date }
digest-body =
    🆕 ثبت‌شده در ۲۴ ساعت گذشته: { $created }
    ✅ رسیدگی‌شده در ۲۴ ساعت گذشته: { $resolved }
    📂 باز: { $open }
    ⏰ گذشته از مهلت: { $overdue }
digest-unvisited = 🚶 باز و بدون بازدید میدانی، { $days } روز یا بیشتر پس از ثبت: { $count }
digest-unvisited-more = …و { $count } پرونده دیگر

# کارنامه عملکرد (تصویر جدول و نمودار، با متن کوتاه برای گوشی)
weekly-title-regions = 📈 کارنامه هفتگی مناطق
weekly-title-departments = 📈 کارنامه هفتگی واحدها
weekly-range = از { $from } تا { $to }
weekly-col-received = دریافت
weekly-col-resolved = رسیدگی
weekly-col-first = پاسخ
weekly-col-fix = رفع
weekly-col-sla = به‌موقع
weekly-col-overdue = معوق
weekly-col-rating = امتیاز
weekly-col-visited = بازدید
weekly-col-onsite = حضوری
weekly-col-supporters = حامیان
weekly-total = جمع کل
weekly-no-region = بدون منطقه
weekly-empty = در این بازه پرونده‌ای نبود.
weekly-more = …و { $count } ردیف دیگر در جمع کل آمده است.
weekly-legend =
    دریافت و رسیدگی: شمار پرونده‌ها.
    پاسخ و رفع: میانه ساعت‌ها از ثبت تا نخستین اقدام و تا رسیدگی.
    به‌موقع: درصد رسیدگی‌شده‌ها پیش از مهلت.
    معوق: باز و گذشته از مهلت در همین لحظه.
    امتیاز: میانگین امتیاز شهروندان (۱ تا ۵)؛ حامیان: شهروندانی که پرونده‌های دریافتی را با «من هم» دنبال می‌کنند.
    بازدید: پرونده‌هایی که در این بازه بازدید میدانی داشته‌اند.
    حضوری: درصد رسیدگی‌شده‌هایی که تا زمان رسیدگی، بازدید در محل داشته‌اند.
weekly-line-cases = دریافت { $received } · رسیدگی { $resolved } · به‌موقع { $sla }
weekly-line-hours = پاسخ { $first } · رفع { $fix } · معوق { $overdue }
weekly-line-visits = امتیاز { $rating } · بازدید { $visited } · حضوری { $onsite }
# تنها وقتی حامی هست، پس از خط بالا می‌آید
weekly-line-supporters = حامیان { $supporters }
weekly-hours = { $hours } ساعت
weekly-chart-title = درصد رسیدگی به‌موقع

# یادآوری نظرخواهی به شهروند (فقط یک بار)
feedback-reminder =
    🔔 گزارش { $code } چند روز پیش رسیدگی شد و هنوز نظر شما به دست ما نرسیده است.
    آیا مشکل برطرف شد؟ لطفاً نظر خود را اعلام کنید و به نحوه رسیدگی امتیاز دهید. این تنها یادآوری ما است.
