## "🔗 Link my reports": reports the 137 call centre filed for a phone number join the chat of the
## citizen who shares that number as their own contact (handlers/citizen/link-reports.ts, scenes/link-reports.ts)
link-button = 🔗 Link my reports
link-share-button = 📱 Share my number
link-back = ↩️ Back to menu
link-ask =
    Did the 137 call centre file a report for you by phone? Tap “{ link-share-button }” and the reports filed for your number join this chat: you see them in /my and get their updates here.
link-back-done = Back to the menu.
link-not-contact = That was not a contact. To link your reports, send /my, tap “{ link-button }” and share your number with the button.
link-not-own = Only your own number can link reports. Share it with the “{ link-share-button }” button; a forwarded or someone else's contact links nothing.
# $count: how many reports were linked just now (at least 1)
link-done = 🔗 { $count ->
        [one] 1 report filed for your number by phone is now linked to this chat:
       *[other] { $count } reports filed for your number by phone are now linked to this chat:
    }
link-line = • { $code } — { $status }
# $count: how many of the linked reports were resolved already
link-resolved-follow = { $count ->
        [one] One was resolved already: its resolution and the question “was it fixed?” follow.
       *[other] { $count } were resolved already: their resolutions and the question “was it fixed?” follow.
    }
link-see-my = You will get their updates here; see them any time with /my.
link-already = The reports filed for this number are already linked to this chat; see them with /my.
link-none = No reports were filed for this number by phone.
# Under the report form's confirmation; $count: reports linked at the same time (at least 1)
link-also = 🔗 Also linked { $count ->
        [one] 1 report
       *[other] { $count } reports
    } filed for your number by phone; see /my.
# Staff /case: the internal history entry of a link
history-messenger_linked = 🔗 linked to the citizen's chat (shared their own number)
