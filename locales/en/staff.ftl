## Case card (staff chat)
card-title = 📋 Case <b>{ $code }</b> — { $status }
card-category = { $category } · { $region }
card-no-region = no region
card-needs-location-check = ⚠️ Needs location check
card-created = 🕒 Filed { $created } · due { $due }
card-reporter = 👤 { $reporter }
card-assignee = 🧑‍🔧 Assigned to { $name }
card-priority = 🔺 Priority { $level } (reopened by the citizen)
card-duplicate-of = 🔗 Duplicate of { $code }
card-last-action = Last: { $who } — { $what } ({ $when })
card-superseded = ⤵️ This card is out of date; see the newer card below.
card-photos = 📷 Photos of case { $code }
card-btn-take = 🙋 Take
card-btn-assign = 👥 Assign…
card-btn-progress = 🛠 In progress
card-btn-resolve = ✅ Resolve
card-btn-reject = ⛔ Reject
card-btn-dup = 🔗 Duplicate
card-btn-note = 💬 Note to citizen
card-btn-ask = ❓ Ask citizen
card-btn-inote = 📝 Internal note
actor-citizen = citizen
actor-staff = staff
actor-system = system
history-status = { $status }
history-assign = assigned ({ $status })
history-note = note
history-info_request = asked the citizen
history-citizen_reply = citizen replied
history-feedback = citizen feedback
history-escalation = escalated
history-reminder = reminded
history-unassign = Back in the queue ({ $status })
card-unassigned = ⚠️ Nobody's: the assigned official left the staff. Take or assign it.
history-card = card
# Facts of a history entry (views/history.ts): numbers stay numbers, formatted per locale
history-fact-fixed = the problem is fixed ✅
history-fact-not-fixed = the problem is not fixed ❌
history-fact-rating = { $rating } of 5 stars
history-fact-distance = { $distance } m from the reported point
history-fact-escalation = { $reason ->
    [overdue] past the resolve deadline
    [reminders] reminders went unanswered
   *[not_fixed] the citizen says it is not fixed
  }
history-fact-reminder = { $reason ->
   *[feedback] the citizen's feedback
  }
history-fact-duplicate = duplicate of { $code }
history-fact-separator = {" · "}
history-what-facts = { $what }: { $facts }

## Staff actions
staff-only = Only registered staff can do this.
staff-not-allowed = Your role does not allow this action.
staff-out-of-scope = This case is not in your region or department.
staff-case-not-found = This case no longer exists.
staff-conflict = Someone changed this case a moment ago. The card is refreshed; please try again.
staff-not-possible = Not possible now: the case is { $status }.
## A press that changes nothing (an alert for the presser only)
staff-already-yours = Case { $code } is already yours; nothing changed.
staff-already-in-progress = Case { $code } is already in progress; nothing changed.
staff-already-theirs = Case { $code } is already with { $name }; nothing changed.
staff-held-by-other = Case { $code } is with { $name }. To hand it to someone else, a manager uses “{ card-btn-assign }”.
staff-done-take = You took case { $code }.
staff-done-progress = Case { $code } is in progress.
staff-done-assign = Case { $code } assigned to { $name }.
staff-done-resolve = Case { $code } resolved; the citizen was told and asked for feedback.
staff-done-reject = Case { $code } rejected; the citizen got the reason.
staff-done-dup = Case { $code } marked as a duplicate; its followers moved to the original.
staff-done-note = Note sent to the citizen of case { $code }.
staff-done-inote = Internal note added to case { $code }.
staff-done-ask = Question sent to the citizen of case { $code }. Their answer will appear here.
staff-assign-pick = Assign case { $code } to:
staff-assign-nobody = Nobody else serves the region or department of case { $code }.
staff-assign-invalid = That person cannot take this case.
staff-prompt-resolve = { $who }, reply with the resolution note for case { $code } (the citizen will read it).
staff-prompt-reject = { $who }, reply with the reason to reject case { $code } (the citizen will read it).
staff-prompt-dup = { $who }, reply with the tracking code of the case that { $code } duplicates.
staff-prompt-note = { $who }, reply with the note for the citizen of case { $code }.
staff-prompt-inote = { $who }, reply with the internal note for case { $code } (staff only).
staff-prompt-ask = { $who }, reply with your question to the citizen of case { $code }.
staff-prompt-after-photo = { $who }, send an “after” photo, or tap “{ staff-skip-photo }”.
staff-prompt-after-photo-hint = Please send a photo, or tap “{ staff-skip-photo }”.
staff-skip-photo = No photo
staff-after-photo-unreadable = The “after” photo could not be opened as a picture; the case was not resolved. Tap “{ card-btn-resolve }” again and send another photo, or tap “{ staff-skip-photo }”.
staff-finish-input = Please reply with the text first, or send /cancel.
staff-text-too-long = That is { $length } characters; the limit is { $max }.
staff-dup-bad-code = That is not a valid tracking code. Reply with a code like 1234-5678.
staff-dup-not-found = There is no open case with that code.
staff-input-cancelled = Cancelled.
staff-citizen-reply =
    💬 The citizen answered on case <b>{ $code }</b>
    Question: { $question }
    Answer: { $answer }
staff-reopened = 🔁 The citizen says case <b>{ $code }</b> is NOT fixed: it is reopened with higher priority and escalated to managers.
