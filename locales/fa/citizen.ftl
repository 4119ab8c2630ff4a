# شهروند ۱۳۷ — فارسی

## منوی اصلی
menu-new = 📝 ثبت گزارش جدید
menu-track = 🔎 پیگیری گزارش
menu-my = 📋 گزارش‌های من
menu-help = ❓ راهنما

# RLM first: the apps take a message's direction from its first strong letter, and a Latin name must not
# turn this Persian welcome into a left-to-right paragraph.
welcome =
    {"\u200F"}{ $name } گرامی، به سامانه ۱۳۷ شهرداری خوش آمدید؛ از این‌جا مشکلات شهری را گزارش و پیگیری کنید.
    لطفاً از منوی زیر انتخاب کنید.

help =
    کارهایی که می‌توانم انجام دهم:
    { -lrm }/new — ثبت گزارش (دسته، شرح، موقعیت، عکس)
    { -lrm }/status <کد> — پیگیری گزارش با کد رهگیری
    { -lrm }/my — آخرین گزارش‌های شما
    { -lrm }/language — فارسی / English
    { -lrm }/cancel — لغو گزارش در حال ثبت
    { -lrm }/privacy — چه چیزی نگهداری می‌شود و چطور حذف کنیم
    { -lrm }/forgetme — حذف اطلاعات شخصی شما
    { -lrm }/help — همین راهنما

privacy =
    آنچه نگهداری می‌کنیم: شناسه و نام شما در پیام‌رسان، متن گزارش، موقعیت و عکس‌های آن، و شماره تلفن فقط اگر خودتان بفرستید.
    چه کسانی می‌بینند: کارکنان شهرداری که به گزارش رسیدگی می‌کنند. شهروندان دیگر نام، تلفن یا شرح گزارش شما را نمی‌بینند؛ هر کس کد رهگیری را داشته باشد فقط وضعیت را می‌بیند.
    مدت نگهداری: اطلاعات شخصی { $days } روز پس از بسته شدن گزارش حذف می‌شود؛ آمار بی‌نام باقی می‌ماند.
    برای حذف زودتر، دستور { -lrm }/forgetme را بفرستید یا با ۱۳۷ تماس بگیرید.

language-choose = زبان خود را انتخاب کنید:
language-set = زبان روی فارسی تنظیم شد.

unknown-command = این دستور را نمی‌شناسم. برای دیدن دستورها { -lrm }/help را بفرستید.
fallback-text = لطفاً از منوی زیر استفاده کنید یا { -lrm }/help را بفرستید.
cancel-done = ثبت گزارش لغو شد. چیزی ارسال نشد.
cancel-nothing = چیزی برای لغو وجود ندارد.
error-generic = در سامانه خطایی رخ داد. لطفاً دوباره تلاش کنید.
error-db-unavailable = سامانه موقتاً در دسترس نیست. لطفاً یک دقیقه دیگر دوباره تلاش کنید؛ چیزی از آنچه فرستاده‌اید از دست نمی‌رود.
rate-limited = شما در ۲۴ ساعت گذشته { $limit } گزارش ثبت کرده‌اید که سقف روزانه است. لطفاً بعداً تلاش کنید یا برای موارد فوری با ۱۳۷ تماس بگیرید.
stale-button = این دکمه مربوط به پیام قدیمی‌تری است.
form-inactive = این فرم گزارش دیگر فعال نیست. برای شروع گزارش { -lrm }/new را بفرستید.
already-submitted = این گزارش قبلاً ثبت شده است. کد رهگیری: { $code }

## ثبت گزارش
ask-category = چه نوع مشکلی را می‌خواهید گزارش کنید؟
ask-description = لطفاً مشکل را در چند جمله شرح دهید (۱۰ تا ۱۰۰۰ حرف).
description-too-short = این متن کوتاه است ({ $length } حرف). لطفاً دست‌کم ۱۰ حرف بنویسید.
description-too-long = این متن بلند است ({ $length } حرف). لطفاً کمتر از ۱۰۰۰ حرف بنویسید.
description-empty = لطفاً شرح مشکل را به‌صورت متن بفرستید.
ask-location =
    محل مشکل کجاست؟ دکمه «{ location-button }» را بزنید، یا از منوی پیوست یک موقعیت یا مکان بفرستید، یا نشانی را تایپ کنید.
location-button = 📍 ارسال موقعیت من
location-outside-area = این موقعیت خارج از محدوده خدمات شهر است. لطفاً موقعیتی داخل شهر بفرستید یا نشانی را تایپ کنید.
address-too-short = لطفاً نشانی کامل‌تری بنویسید (دست‌کم ۵ حرف) یا موقعیت را بفرستید.
address-too-long = این نشانی بلند است. لطفاً کمتر از ۳۰۰ حرف بنویسید.
ask-photos = حداکثر ۳ عکس از مشکل بفرستید، یا از این مرحله بگذرید.
photos-done-button = ✅ تمام
photos-skip-button = ⏭ بدون عکس
photo-received = عکس { $count } از ۳ دریافت شد. عکس دیگری بفرستید یا «تمام» را بزنید.
photo-too-large = حجم این عکس بیش از { $mb } مگابایت است. لطفاً عکس کوچک‌تری بفرستید.
photo-not-image = این فایل تصویر نیست. لطفاً عکس بفرستید.
photo-unreadable = این فایل به‌صورت تصویر باز نشد (شاید خراب است یا قالبش را نمی‌شناسیم). لطفاً آن را به‌صورت عکس بفرستید یا عکس دیگری بفرستید.
photo-unreadable-dropped = عکس شما به‌صورت تصویر باز نشد و نگه داشته نشد. اگر همراهش متنی نوشته بودید، آن متن رسید.
ask-contact = آیا مایلید شماره تلفن خود را بفرستید تا کارشناس شهرداری در صورت نیاز با شما تماس بگیرد؟ این کار اختیاری است.
contact-button = 📞 ارسال شماره من
contact-skip-button = رد شدن
contact-not-own = لطفاً شماره خودتان را با دکمه زیر بفرستید یا «رد شدن» را بزنید.
summary =
    لطفاً گزارش خود را بررسی کنید:
    دسته: { $category }
    شرح: { $description }
    موقعیت: { $location }
    عکس‌ها: { $photos }
    تلفن: { $phone }
summary-no-coordinates = { $address } (فقط نشانی، بدون مختصات)
summary-coordinates = { $lat }، { $lon }
summary-none = —
summary-confirm = ✅ ثبت
summary-edit = ✏️ ویرایش
summary-cancel = ❌ لغو
edit-choose = کدام بخش را می‌خواهید تغییر دهید؟
edit-category = دسته
edit-description = شرح
edit-location = موقعیت
edit-photos = عکس‌ها
edit-contact = تلفن
edit-back = ↩️ بازگشت به خلاصه
# $distance: metres, a number; 0 = the same spot (under 10 m, see scenes/report/steps/duplicate.ts).
duplicate-found =
    گزارشی از همین نوع با کد { $code } { $distance ->
        [0] در همین محل
       *[other] در فاصله { $distance } متری این محل
    } باز است (وضعیت: { $status }).
    می‌توانید به‌جای ثبت گزارش جدید، آن را دنبال کنید تا از تغییراتش باخبر شوید.
duplicate-follow = 🔔 دنبال کردن آن گزارش
duplicate-file-anyway = گزارش جداگانه ثبت می‌کنم
duplicate-followed = اکنون گزارش { $code } را دنبال می‌کنید و از تغییراتش باخبر می‌شوید.
submitting = در حال ثبت گزارش…
submitted =
    گزارش شما با موفقیت ثبت شد.
    کد رهگیری: { $code }
    برای پیگیری، { -lrm }/status { $code } را بفرستید. نتیجه رسیدگی از همین‌جا به اطلاع شما می‌رسد.
submit-failed = اکنون نتوانستیم گزارش را ذخیره کنیم. پاسخ‌های شما محفوظ است؛ یک دقیقه دیگر دوباره «ثبت» را بزنید.
photo-download-failed = نتوانستیم یکی از عکس‌ها را از پیام‌رسان دریافت کنیم. برای تلاش دوباره «ثبت» را بزنید یا با «ویرایش» عکس‌ها را عوض کنید.
photo-unreadable-submit = یکی از عکس‌ها به‌صورت تصویر باز نشد. با «ویرایش» عکس‌ها را عوض کنید.

## راهنمایی برای پیام نامناسب
hint-category = لطفاً یکی از دسته‌ها را با دکمه‌های بالا انتخاب کنید.
hint-description = لطفاً شرح مشکل را به‌صورت متن بفرستید.
hint-location = لطفاً موقعیت را بفرستید یا نشانی را به‌صورت متن بنویسید.
hint-photos = لطفاً عکس بفرستید یا «تمام» / «بدون عکس» را بزنید.
hint-contact = لطفاً دکمه «{ contact-button }» یا «رد شدن» را بزنید.
hint-summary = لطفاً با دکمه‌های بالا «ثبت»، «ویرایش» یا «لغو» را انتخاب کنید.
hint-in-flow = شما در میانه ثبت یک گزارش هستید. این مرحله را کامل کنید یا برای توقف { -lrm }/cancel را بفرستید.

## پیگیری
status-usage = کد رهگیری را این‌طور بفرستید: { -lrm }/status 1234-5678
status-ask-code = کد رهگیری گزارش (۸ رقم) را بفرستید.
status-bad-format = «{ $input }» کد رهگیری نیست. کد ۸ رقم دارد، مانند { -lrm }1234-5678{ -lrm }.
status-bad-checksum = کد واردشده نادرست است؛ لطفاً رقم‌ها را دوباره بررسی کنید.
status-not-found = گزارشی با کد { $code } وجود ندارد.
status-card =
    گزارش { $code }
    وضعیت: { $status }
    دسته: { $category }
    تاریخ ثبت: { $created }
status-private =
    شرح: { $description }
    موقعیت: { $location }
status-history-title = سابقه:
status-history-line = • { $date } — { $status }
status-history-line-detail = • { $date } — { $status } — { $detail }
my-empty = هنوز گزارشی ثبت نکرده‌اید. برای شروع { -lrm }/new را بفرستید.
my-title = آخرین گزارش‌های شما:
my-line = • { $code } — { $category } — { $status } ({ $date })

## نام وضعیت‌ها
status-new = دریافت شد
status-assigned = به کارشناس واگذار شد
status-in_progress = در حال رسیدگی
status-resolved = رسیدگی شد
status-rejected = رد شد
status-duplicate = به‌عنوان تکراری ادغام شد
status-reopened = دوباره باز شد

## اطلاع‌رسانی
notify-status =
    خبر تازه درباره گزارش { $code }: { $status }.
notify-status-follower =
    خبر تازه درباره گزارشی که دنبال می‌کنید (کد { $code }): { $status }.
notify-note = یادداشت شهرداری: { $note }

## کارت کارکنان (گزارش جدید)
staff-no-coordinates = { $address } (⚠️ بدون مختصات، نیاز به بررسی محل)

## فراموشم کن
forget-ask =
    اطلاعات شخصی شما حذف شود؟ نام، نام کاربری و شماره تلفن شما از همه گزارش‌هایتان پاک می‌شود. خود گزارش‌ها بی‌نام باقی می‌مانند تا شهرداری بتواند مشکلات را رفع کند.
forget-confirm = 🗑 بله، اطلاعاتم حذف شود
forget-keep = نه، بماند
forget-queued = درخواست شما ثبت شد. اطلاعات شخصی شما حذف خواهد شد.
forget-already = درخواست قبلی شما در نوبت است.
forget-kept = چیزی تغییر نکرد.

## منوی دستورها (نمایش در پیام‌رسان)
cmd-new = ثبت گزارش مشکل
cmd-status = پیگیری گزارش با کد
cmd-my = گزارش‌های من
cmd-language = زبان / Language
cmd-cancel = لغو گزارش در حال ثبت
cmd-help = راهنما
cmd-privacy = حریم خصوصی
