## 📞 Contact citizen: the phone number is masked on the card; the whole number only in private, recorded
card-btn-contact = 📞 تماس با شهروند
# The masked number on the card (a left-to-right token in Persian text).
card-phone = { $phone }
history-phone_viewed = 📞 دیدن شماره تلفن شهروند
contact-sent = شماره شهروند پرونده { $code } را در گفتگوی خصوصی برایتان فرستادم.
contact-private =
    📞 شهروند پرونده { $code }: { $name }
    تلفن: { $phone }
    این دسترسی در تاریخچه پرونده ثبت شد؛ شماره را فقط برای پیگیری همین پرونده به کار ببرید.
contact-open-private = شماره فقط در گفتگوی خصوصی فرستاده می‌شود. گفتگو با { -lrm }@{ $bot } را باز کنید، «شروع» را بزنید و دوباره «📞 تماس با شهروند» را بزنید.
contact-no-phone = شهروند برای پرونده { $code } شماره تلفنی نداده است.
