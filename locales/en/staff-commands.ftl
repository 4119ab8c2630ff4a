## Staff commands: /open, /overdue, /case
case-open-title = 📂 Open cases in your area: { $count }
case-open-empty = ✅ There are no open cases in your area.
case-overdue-title = ⏰ Overdue cases in your area: { $count }
case-overdue-empty = ✅ No case in your area is past its deadline.
case-list-line = <code>{ $code }</code> — { $category } — { $status } — { $region } — { $sla } — { $assignee }
case-list-more = …and { $count } more
case-age = filed { $hours ->
    [0] under 1h
   *[other] { $hours }h
} ago
case-overdue-by = ⏰ overdue by { $hours ->
    [0] under 1h
   *[other] { $hours }h
}
case-unassigned = unassigned
case-usage = Send the tracking code like this: /case 1234-5678
case-due-in = ⏱ due in { $hours ->
    [0] under 1h
   *[other] { $hours }h
}
case-photos = 📷 Photos: { $photos }
case-escalation = ⏫ Escalated to managers (level { $level })
case-feedback = ⭐ Citizen feedback: { $answer }
case-feedback-fixed = fixed ✅
case-feedback-not-fixed = not fixed ❌
case-feedback-rating = rated { $rating } of 5
case-answers-title = 💬 The citizen's answers:
case-answer =
    ❓ { $question }
    ↩️ { $answer }
case-history-title = 🗂 Full history ({ $count } events):
case-history-line = ▫️ { $date } · { $visibility } · { $what } · { $who }
case-history-note = ↳ { $note }
case-history-public = 🌐 public
case-history-internal = 🔒 internal
case-history-earlier = … { $count } earlier events not shown

## Staff management: /staff (admins only, private chat only)
staff-admin-private-only = /staff works in a private chat with the bot only.
staff-admin-usage =
    How to use /staff:
    /staff list — active staff
    /staff add telegram:12345 official regions=r1,r2 departments=roads name=Full Name
    /staff role telegram:12345 manager
    /staff scope telegram:12345 regions=r1 departments=water,roads
    /staff remove telegram:12345
    Roles: official, manager, admin
staff-admin-bad-target = “{ $input }” is not a valid id. Write it as platform:userId, e.g. telegram:12345 or bale:12345.
staff-admin-bad-role = “{ $input }” is not a role. Roles: official, manager, admin.
staff-admin-bad-option = Unknown option “{ $input }”. Options: regions=…, departments=… and (add only) name=…
staff-admin-unknown-regions = These regions do not exist: { $keys }
staff-admin-unknown-departments = These departments do not exist: { $keys }
staff-admin-self-lockout = You cannot remove yourself or give up your own admin role; ask another admin to do it.
staff-admin-not-found = There is no active staff member { $id }.
staff-admin-added = ✅ Staff member added:
staff-admin-updated = ✅ Staff member updated:
staff-admin-removed = 🗑 Staff member { $id } is deactivated and can no longer act on cases.
staff-admin-released = { $count } open case(s) of theirs went back to the queue; their cards say so.
staff-admin-member = { $id } · { $name } · { $role } · regions: { $regions } · departments: { $departments }
staff-admin-no-name = (no name)
staff-admin-no-scope = ⚠️ This person has no region or department and sees no cases; set one with /staff scope.
staff-admin-list-title = 👥 Active staff ({ $count }):
staff-admin-list-empty = No active staff yet.
staff-role-official = official
staff-role-manager = manager
staff-role-admin = admin

## /stats
stats-usage = Send /stats, /stats 7d or /stats 30d (any number of days up to { $max }).
stats-title-regions = 📊 Performance by region, { $from } to { $to }
stats-title-departments = 📊 Performance by department, { $from } to { $to }

## /visits (managers and admins)
visits-usage = Send /visits, /visits 7d or /visits 30d (any number of days up to { $max }).
visits-title = 🚶 Field visits, last { $days } days
visits-empty = No field visits in the last { $days } days.
visits-by-region = By region
visits-by-official = By official
visits-col-count = visits
visits-col-onsite = site%
visits-col-first = wait h
visits-more = …and { $count } more rows (counted in the total).
visits-legend = visits: visits made in the period (a case visited twice counts twice). site%: share of them made on site. wait h: median hours from filing to the first visit, over the cases first visited in the period (per official: the cases where theirs was the first visit).
