## Field visits: an official proves a site visit (private chat), the card and /case show it

card-btn-visit = 📍 Record visit
card-visited = 🔎 Visited by { $name } on { $when }, { $where ->
    [on] on site, { $distance } m
    [off] OFF SITE, { $distance } m away
   *[unknown] location recorded (report has no map point)
  } ({ $kind ->
    [live] live location
   *[static] static location
  }){ $count ->
    [1] {""}
   *[other] {" "}· { $count } visits
  }
card-needs-visit = 📍 Needs an on-site visit before Resolve
card-needs-visit-again = 📍 Reopened: needs a new on-site visit before Resolve
history-visit = Field visit
status-history-visit = • { $date } — 🔎 An inspector visited the site
case-visits-title = 🔎 Field visits ({ $count }):
case-visit = ▫️ { $date } · { $name } · { $where ->
    [on] on site, { $distance } m
    [off] off site, { $distance } m
   *[unknown] no map point to compare
  } · { $kind ->
    [live] live location
   *[static] static location
  } · 📷 { $photos }
case-visit-reason = ↳ reason: { $reason }
case-visit-note = ↳ note: { $note }
staff-visit-posted = 🔎 Field visit, case <b>{ $code }</b>, by { $name }: { $where ->
    [on] on site, { $distance } m
    [off] OFF SITE, { $distance } m away
   *[unknown] no map point to compare
  } ({ $kind ->
    [live] live location
   *[static] static location
  })
notify-site-visit = 🔎 A municipal inspector visited the site of your report (code { $code }) on { $date }.
notify-site-visit-follower = 🔎 A municipal inspector visited the site of the report you follow (code { $code }) on { $date }.

## Starting a visit
visit-invite = 📍 Field visit for case { $code }. When you are at the site, press Start visit: you will share your location and take photos here.
visit-btn-start = ▶️ Start visit
visit-invited = I have written to you in our private chat: record the visit for { $code } there.
visit-open-private = Visits are recorded in private chat. Open a chat with @{ $bot }, press Start, then press Record visit again.
visit-busy = You are in the middle of another form. Finish it or send /cancel, then start the visit again.
visit-usage = Send /visit followed by the case code, for example: /visit 1234-5678
visit-required = 📍 Case { $code } needs an on-site visit before it can be resolved. Record a visit first.
visit-required-again = 📍 Case { $code } was reopened by the citizen: it needs a new on-site visit before it can be resolved again.

## The visit, step by step
visit-start = 📍 Recording a field visit for case { $code }. Send /cancel at any step to stop.
visit-ask-location-live = Share your current location. Best: a live location (📎 → Location → Share My Live Location). Or press the button below for a one-off location.
visit-ask-location-static = Share your current location with the button below. (This messenger has no live location; the visit will be recorded with a static location.)
visit-location-button = 📍 Send my current location
visit-forwarded-location = A forwarded location is not proof of being there. Share your own current location.
visit-venue-refused = That is a place picked on the map, not where you are. Share your current location.
visit-on-site = ✅ On site: { $distance } m from the reported point (allowed { $radius } m).
visit-no-reported-point = This report has no map point to compare with; your location will be recorded as the site.
visit-too-far = You are { $distance } m from the reported point; a visit counts as on site within { $radius } m.
visit-off-site-choice = Record this visit as OFF SITE (with a reason), or share your location again?
visit-btn-off-site = Record as off site
visit-btn-again = 📍 Share location again
visit-ask-reason = Why is the visit off site? (For example: the road is closed.) Send the reason as text.
visit-ask-photos = Now send one or more fresh photos of the site (up to { $max }), taken now: within { $minutes } minutes of your location. Forwarded photos are not accepted.
visit-photos-hint = Send a photo of the site (as a photo or an image file).
visit-photos-more-hint = Send another photo, or press Done.
visit-photo-received = 📷 Photo { $count } of at most { $max } received. Send another, or press Done.
visit-btn-done = ✔️ Done
visit-forwarded-photo = A forwarded photo is not proof of a visit. Take a photo at the site and send it.
visit-photo-repeated = You already sent this photo. Send a different one, or press Done.
visit-window-closed = ⏱ Your location is more than { $minutes } minutes older than this photo. Share your current location again; the photos so far were not kept.
visit-ask-note = Add an internal note for staff (citizens never see it), or press “{ visit-btn-skip }”.
visit-btn-skip = No note
visit-ask-tell = Tell the citizen that an inspector visited the site?
visit-btn-tell = 📣 Yes, tell them
visit-btn-keep = No
visit-in-flow = You are recording a field visit. Finish this step, or send /cancel to stop.
visit-cancelled = Visit recording cancelled. Nothing was recorded.
visit-finish-first = Finish the visit first, or send /cancel.
visit-text-too-long = That is { $length } characters; at most { $max }, please.

## Result
visit-recorded = ✅ Visit recorded for case { $code }: { $where ->
    [on] on site, { $distance } m
    [off] off site, { $distance } m away
   *[unknown] at your location
  }, { $kind ->
    [live] live location
   *[static] static location
  }, { $photos } photo(s).{ $told ->
    [yes] {" "}The citizen was told.
   *[no] {""}
  }
visit-case-closed = This case is closed (or changed meanwhile); the visit was not recorded.
visit-photo-too-large = A photo is too large to keep; send a smaller one. The visit was not recorded.
visit-photo-unreadable = A photo could not be opened as a picture; send another one. The visit was not recorded.
visit-save-failed = The visit could not be recorded because of an error. Please try again.
