## پایان کار با شهروند
notify-resolved =
    ✅ گزارش { $code } رسیدگی شد.
    { $note }
feedback-ask = آیا مشکل برطرف شد؟ لطفاً نظر خود را اعلام کنید و به نحوه رسیدگی امتیاز دهید.
feedback-fixed = رفع شد ✅
feedback-notfixed = رفع نشد ❌
feedback-stars = { $stars }⭐
feedback-thanks-fixed = سپاسگزاریم! خوشحالیم که مشکل برطرف شد.
feedback-thanks-notfixed = پوزش می‌خواهیم. گزارش { $code } با اولویت بالاتر دوباره باز شد و به مدیران ارجاع شد.
feedback-thanks-rating = از امتیاز شما سپاسگزاریم ({ $stars } از ۵).
feedback-already = شما قبلاً پاسخ داده‌اید.
feedback-not-yours = فقط کسی که این گزارش را ثبت کرده می‌تواند پاسخ دهد.
notify-info-request =
    ❓ پرسش شهرداری درباره گزارش { $code }:
    { $question }
    پاسخ خود را همین‌جا بفرستید (متن یا عکس).
notify-case-note = 💬 پیام شهرداری درباره گزارش { $code }: { $note }
notify-case-note-follower = 💬 پیام شهرداری درباره گزارشی که دنبال می‌کنید (کد { $code }): { $note }
notify-duplicate-of = این همان مشکل گزارش { $code } است؛ از این پس خبرهای آن گزارش را دریافت می‌کنید.
info-reply-sent = سپاس، پاسخ شما به گزارش { $code } افزوده و برای کارکنان فرستاده شد.
