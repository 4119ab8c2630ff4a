## Outbox dead letters: a message given up, told to the managers chat and the admins

# LRM (U+200E), as in fa: English paragraphs are left-to-right already, so here it changes nothing; defined
# so both locales have the same terms and a template may use it in either.
-lrm = {"\u200E"}

dead-alert-title = ⚠️ A message could not be delivered and was given up
dead-alert-what = Message: { $what }
dead-alert-case = Case: { $code }
dead-alert-to = To: { $to }
dead-alert-error = Error: { $error }
dead-alert-refused = The messenger refused it, again when it was resent as plain text without buttons.
dead-alert-attempts = No success after { $attempts } attempts.
dead-alert-doctor = See npm run doctor on the server for the messages given up.
dead-alert-to-staff = the staff chat { $chat } on { $platform }
dead-alert-to-managers = the managers chat on { $platform }
dead-alert-to-staff_member = a staff member's private chat on { $platform }
dead-alert-to-citizen = a citizen on { $platform }
dead-alert-platform = { $platform ->
    [bale] Bale
   *[other] Telegram
}
dead-alert-kind = { $kind ->
    [status_changed] status update to the citizen
    [site_visit] site visit notice to the citizen
    [case_note] note to the citizen
    [resolution] resolution message to the citizen
    [info_request] question to the citizen
    [feedback_reminder] feedback reminder to the citizen
    [staff_card] case card
    [staff_photos] case photos
    [staff_visit] field visit photos
    [staff_location] case location
    [staff_citizen_reply] the citizen's answer
    [staff_reopened] "reopened" notice
    [staff_reminder] overdue reminder
    [escalation] escalation
    [daily_digest] daily digest
    [weekly_table] weekly table
   *[other] { $kind }
}

## A staff group that is behind (README "Scale"): new cases listed first, their full cards follow

group-digest-title = 📥 { $count ->
    [one] One new case
   *[other] { $count } new cases
}
group-digest-line = { $n }. { $code } · { $category } · { $place } · { $age }
group-digest-age = { $minutes ->
    [0] just now
    [one] 1 minute ago
   *[other] { $minutes } minutes ago
}
group-digest-no-place = location on the map
group-digest-hint = This group is receiving more than it can be sent at once: the full cards follow in order. Tap a case to post its card now, or send /case and its code.
group-digest-button = 📋 { $code }
group-digest-posting = The card of { $code } is posted next.
group-digest-posted = The card of { $code } is already posted or on its way.
