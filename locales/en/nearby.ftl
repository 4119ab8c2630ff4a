# "📍 Nearby": open reports around the citizen, each with "👍 Me too" (handlers/citizen/nearby.ts)
menu-nearby = 📍 Nearby
# $radius: metres, a number
nearby-ask =
    To see the open reports within { $radius } m of you, tap “{ location-button }” or send a location from the attachment menu.
nearby-back = ↩️ Back to menu
nearby-back-done = Back to the menu.
nearby-not-location = That was not a location. To see the reports near you, tap “{ menu-nearby }” again and share your location with the button.
nearby-outside-area = That location is outside the city's service area.
nearby-empty =
    There are no open reports within { $radius } m of you.
    If you see a problem, file it with “{ menu-new }”.
nearby-title = 📍 Open reports within { $radius } m of you:
# $n: the number in the list; $age and $distance: the nearby-age and nearby-distance texts
nearby-item =
    { $n }. { $category } — { $status }
    { $age } · { $distance }
# $days: days since filing
nearby-age = { $days ->
        [0] filed today
        [one] filed yesterday
       *[other] filed { $days } days ago
    }
# $distance: metres, rounded; 0 = this very spot
nearby-distance = { $distance ->
        [0] at this very spot
       *[other] { $distance } m from you
    }
nearby-supporters = 👥 { $count ->
        [one] 1 supporter
       *[other] { $count } supporters
    }
nearby-hint = If it is your problem too, tap “👍 Me too”: you count as one of its supporters and get its updates.
nearby-me-too = 👍 Me too ({ $n })
nearby-supported = 👍 Thank you for your support. You are now following report { $code } and will get its updates.
nearby-already = You already support this report.
nearby-own = You filed this report yourself.
nearby-closed = This report is no longer open.
# The case card and /case: only when there is at least one supporter
card-supporters = 👥 { $count ->
        [one] 1 citizen supports this
       *[other] { $count } citizens support this
    }
