# Flood guard (bot/middleware/flood-guard.ts): more than 20 updates a minute from one person.
flood-slow-down = پیام‌های شما خیلی پشت سر هم می‌رسد. لطفاً یک دقیقه صبر کنید و بعد دوباره بفرستید؛ پیام‌های این یک دقیقه خوانده نمی‌شوند.
