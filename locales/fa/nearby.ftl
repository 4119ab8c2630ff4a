# «📍 نزدیک من»: گزارش‌های باز اطراف شهروند، هر کدام با «👍 من هم» (handlers/citizen/nearby.ts)
menu-nearby = 📍 گزارش‌های نزدیک من
# $radius: متر، عدد
nearby-ask =
    برای دیدن گزارش‌های باز تا { $radius } متری خود، دکمه «{ location-button }» را بزنید یا از منوی پیوست یک موقعیت بفرستید.
nearby-back = ↩️ بازگشت به منو
nearby-back-done = به منو برگشتید.
nearby-not-location = این پیام موقعیت مکانی نبود. برای دیدن گزارش‌های نزدیک، دوباره «{ menu-nearby }» را بزنید و موقعیت خود را با دکمه بفرستید.
nearby-outside-area = این موقعیت بیرون از محدوده خدمات شهرداری است.
nearby-empty =
    در { $radius } متری شما گزارش بازی نیست.
    اگر مشکلی می‌بینید، با «{ menu-new }» آن را ثبت کنید.
nearby-title = 📍 گزارش‌های باز تا { $radius } متری شما:
# $n: شماره در فهرست؛ $age و $distance: متن‌های nearby-age و nearby-distance
nearby-item =
    { $n }. { $category } — { $status }
    { $age } · { $distance }
# $days: روزهای گذشته از ثبت
nearby-age = { $days ->
        [0] ثبت امروز
       *[other] ثبت { $days } روز پیش
    }
# $distance: متر، گرد شده؛ ۰ = همین محل
nearby-distance = { $distance ->
        [0] در همین محل
       *[other] { $distance } متر از شما
    }
nearby-supporters = 👥 { $count } حامی
nearby-hint = اگر مشکل شما هم همین است، «👍 من هم» را بزنید: حامی آن گزارش شمرده می‌شوید و از تغییراتش باخبر می‌شوید.
nearby-me-too = 👍 من هم ({ $n })
nearby-supported = 👍 حمایت شما ثبت شد. اکنون گزارش { $code } را دنبال می‌کنید و از تغییراتش باخبر می‌شوید.
nearby-already = شما پیش‌تر از این گزارش حمایت کرده‌اید.
nearby-own = این گزارش را خودتان ثبت کرده‌اید.
nearby-closed = این گزارش دیگر باز نیست.
# کارت پرونده و /case: فقط وقتی دست‌کم یک حامی هست
card-supporters = 👥 { $count } شهروند از این درخواست حمایت می‌کنند
