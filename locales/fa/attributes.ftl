## پرسش‌های تکمیلی دسته، پس از شرح مشکل (متن خود پرسش از دسته می‌آید)
attribute-how-text = لطفاً پاسخ را بنویسید.
attribute-how-number = لطفاً یک عدد بفرستید.
# $input: an example date in the accepted form
attribute-how-datetime = لطفاً تاریخ را به شکل { $input } (سال-ماه-روز میلادی) بفرستید.
attribute-how-single = لطفاً یکی را با دکمه‌ها انتخاب کنید.
attribute-how-multi = یک یا چند مورد را با دکمه‌ها انتخاب کنید و سپس «{ attribute-done-button }» را بزنید.
attribute-optional = پاسخ به این پرسش اختیاری است: اگر نمی‌دانید، «{ attribute-skip-button }» را بزنید.
attribute-skip-button = ⏭ رد شدن
attribute-done-button = ✅ تمام
attribute-chosen = تا اینجا انتخاب شده: { $values }. موارد دیگری انتخاب کنید یا «{ attribute-done-button }» را بزنید.
attribute-required = این پرسش باید پاسخ داده شود.
attribute-not-a-number = این عدد نیست. لطفاً فقط رقم بفرستید، مثلاً ۱۲.
attribute-not-a-date = این تاریخی به شکل { $input } نیست. لطفاً به همین شکل بفرستید.
attribute-not-in-list = لطفاً با دکمه‌ها انتخاب کنید.
attribute-too-long = این پاسخ { $length } حرف است و حداکثر { $max } حرف پذیرفته می‌شود. لطفاً کوتاه‌ترش کنید.
hint-attribute-text = لطفاً پاسخ را به‌صورت پیام متنی بفرستید.
hint-attribute-text-optional = لطفاً پاسخ را به‌صورت پیام متنی بفرستید یا «{ attribute-skip-button }» را بزنید.
hint-attribute-list = لطفاً با دکمه‌های بالا انتخاب کنید.
hint-attribute-list-optional = لطفاً با دکمه‌های بالا انتخاب کنید یا «{ attribute-skip-button }» را بزنید.
edit-attributes = پرسش‌های تکمیلی

## پاسخ‌ها، در خلاصه، کارت کارشناس و نمای پرونده
attribute-answer = { $question }: { $answer }
attribute-skipped = —
