## Scheduled jobs: reminders, escalations, daily digest, weekly table

# One message per staff chat
reminder-title = ⏰ Reminder: { $count ->
    [one] 1 case is
   *[other] { $count } cases are
} overdue
reminder-line = • { $code } · { $category } · { $late }
reminder-late-first = no first response, { $hours ->
    [0] under an hour
    [one] 1 hour
   *[other] { $hours } hours
} past due
reminder-late-resolve = { $hours ->
    [0] under an hour
    [one] 1 hour
   *[other] { $hours } hours
} past the resolve deadline
reminder-more = …and { $count } more (full list: /open)

# Escalation to the managers
escalation-title = 🚨 Escalation: case { $code }
escalation-level = Escalation level: { $level }
escalation-reason-overdue = { $hours } hours past the resolve deadline.
escalation-reason-reminders = Reminded { $reminders } times and still not resolved.
escalation-reason-not_fixed = The citizen says it is not fixed; the case is reopened.
escalation-case = { $category } · { $region } · status: { $status }
escalation-no-region = no region
escalation-history = Latest events:
escalation-history-line = • { $when } — { $who }: { $what }
escalation-history-note = { $line } (“{ $note }”)

# Daily digest
digest-title-chat = 📊 Daily digest for this chat's cases — { $date }
digest-title-all = 📊 Daily digest, all regions — { $date }
digest-body =
    🆕 Filed in the last 24 h: { $created }
    ✅ Resolved in the last 24 h: { $resolved }
    📂 Open: { $open }
    ⏰ Overdue: { $overdue }
digest-unvisited = 🚶 Open for { $days ->
    [one] a day
   *[other] { $days } days
} or more with no field visit: { $count }
digest-unvisited-more = …and { $count } more

# Performance table (an image with a bar chart, and a short text for phones)
weekly-title-regions = 📈 Weekly performance by region
weekly-title-departments = 📈 Weekly performance by department
weekly-range = { $from } to { $to }
weekly-col-received = in
weekly-col-resolved = done
weekly-col-first = 1st h
weekly-col-fix = fix h
weekly-col-sla = SLA%
weekly-col-overdue = late
weekly-col-rating = stars
weekly-col-visited = visit
weekly-col-onsite = site%
weekly-col-supporters = supp.
weekly-total = Total
weekly-no-region = No region
weekly-empty = No cases in this period.
weekly-more = …and { $count } more rows, counted in the total.
weekly-legend =
    in / done: cases received / resolved.
    1st h / fix h: median hours from filing to the first staff action / to resolution.
    SLA%: resolved before the deadline.
    late: open and overdue right now.
    stars: average citizen rating (1–5); supp.: citizens following the cases received (“Me too”).
    visit: cases with a field visit in the period.
    site%: resolved cases that had an on-site visit by the time they were resolved.
weekly-line-cases = in { $received } · done { $resolved } · on time { $sla }
weekly-line-hours = 1st reply { $first } · fixed in { $fix } · late { $overdue }
weekly-line-visits = stars { $rating } · visited { $visited } · on site { $onsite }
# Only when there are supporters, after the line above
weekly-line-supporters = supporters { $supporters }
weekly-hours = { $hours } h
weekly-chart-title = % resolved on time

# Feedback reminder to the citizen (once)
feedback-reminder =
    🔔 Report { $code } was resolved a few days ago and we have not heard from you.
    Was the problem fixed? Please let us know and rate how it was handled. This is our only reminder.
