## The citizen–case thread (messages outside a form, the "not fixed" reason, the centre's contact)
centre-contact = ☎️ Contact the 137 centre: { $phone }
centre-contact-hours = ☎️ Contact the 137 centre: { $phone } ({ $hours })
thread-offer-open =
    Got your message. Which report should it be added to, or shall we file a new report with it?
    To see how a report is doing, send its tracking code or tap “📋 My reports”.
thread-offer-new = Got your message. Would you like to file a new report with it?
thread-btn-add = ➕ Add to report { $code } · { $category }
thread-btn-new = 📝 New report with this message
thread-added = Your message was added to report { $code } and sent to the staff.
thread-expired = We no longer keep that message; please send it again.
thread-not-yours = That report is not one of your open reports.
thread-prefilled = The description is taken from your message; you can edit it before submitting.
thread-prefilled-photo = Your photo is added to the report; you can edit it before submitting.
thread-photo-only = 📷 (photo, no text)
notfixed-ask-reason = What is still wrong? If you like, send a few words or a photo and they go to the case and the managers.
notfixed-skip = Not now
notfixed-skipped = All right. You can send a message any time.
notfixed-reason-sent = Thank you; your explanation was added to report { $code } and sent to the staff and the managers.
history-citizen_note = citizen's message
status-history-citizen-note = • { $date } — 💬 Your message: { $note }
staff-citizen-note =
    💬 New message from the citizen on case <b>{ $code }</b>:
    { $text }
managers-citizen-note =
    🔁 Why the citizen says case <b>{ $code }</b> is not fixed:
    { $text }
