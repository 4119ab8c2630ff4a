# Citizen 137 — English

## Main menu
menu-new = 📝 New report
menu-track = 🔎 Track a report
menu-my = 📋 My reports
menu-help = ❓ Help

welcome =
    Dear { $name }, welcome to the municipality's 137 service: report city problems here and follow them up.
    Choose from the menu below.

help =
    What I can do:
    /new — report a problem (category, description, location, photos)
    /status <code> — track a report by its tracking code
    /my — your latest reports
    /language — فارسی / English
    /cancel — stop the current report
    /privacy — what we store and how to have it deleted
    /forgetme — delete your personal data
    /help — this message

privacy =
    What we store: your messenger id and name, what you write in a report, its location and photos, and your phone number only if you share it.
    Who sees it: the city staff handling your report. Other citizens never see your name, phone or description; someone with your tracking code sees only the status.
    How long: personal details are removed from closed reports after { $days } days; anonymous statistics are kept.
    To ask for deletion earlier, send /forgetme or call 137.

language-choose = Choose your language:
language-set = Language set to English.

unknown-command = I don't know that command. Send /help to see what I can do.
fallback-text = Please use the menu below, or send /help.
cancel-done = Report cancelled. Nothing was sent.
cancel-nothing = There is nothing to cancel.
error-generic = Something went wrong on our side. Please try again.
error-db-unavailable = The service is temporarily unavailable. Please try again in a minute; nothing you already sent is lost.
rate-limited = You have sent { $limit } reports in the last 24 hours, which is the daily limit. Please try again later, or call 137 for emergencies.
stale-button = This button belongs to an older message.
form-inactive = This report form is no longer active. Send /new to start a report.
already-submitted = This report was already submitted. Tracking code: { $code }

## Report intake
ask-category = What kind of problem do you want to report?
ask-description = Describe the problem in a few sentences (10 to 1000 characters).
description-too-short = That is too short ({ $length } characters). Please write at least 10 characters.
description-too-long = That is too long ({ $length } characters). Please keep it under 1000 characters.
description-empty = Please send the description as text.
ask-location =
    Where is it? Tap “{ location-button }” to share your current position, send a location or venue from the attachment menu, or type the address.
location-button = 📍 Share my location
location-outside-area = That location is outside the area our city serves. Please send a location inside the city, or type the address.
address-too-short = Please type a fuller address (at least 5 characters), or share a location.
address-too-long = That address is too long. Please keep it under 300 characters.
ask-photos = Send up to 3 photos of the problem, or skip this step.
photos-done-button = ✅ Done
photos-skip-button = ⏭ Skip photos
photo-received = Photo { $count } of 3 received. Send another, or tap Done.
photo-too-large = That photo is larger than { $mb } MB. Please send a smaller one.
photo-not-image = That file is not an image. Please send a photo.
photo-unreadable = That file could not be opened as a picture (it may be damaged, or in a format we cannot read). Please send it as a photo instead, or send another one.
photo-unreadable-dropped = Your photo could not be opened as a picture, so it was not kept. Any words you sent with it went through.
ask-contact = Would you like to share your phone number so the inspector can call you? This is optional.
contact-button = 📞 Share my phone number
contact-skip-button = Skip
contact-not-own = Please share your own number with the button below, or tap Skip.
summary =
    Please check your report:
    Category: { $category }
    Description: { $description }
    Location: { $location }
    Photos: { $photos }
    Phone: { $phone }
summary-no-coordinates = { $address } (address only, no coordinates)
summary-coordinates = { $lat }, { $lon }
summary-none = —
summary-confirm = ✅ Submit
summary-edit = ✏️ Edit
summary-cancel = ❌ Cancel
edit-choose = What would you like to change?
edit-category = Category
edit-description = Description
edit-location = Location
edit-photos = Photos
edit-contact = Phone
edit-back = ↩️ Back to summary
# $distance: metres, a number; 0 = the same spot (under 10 m, see scenes/report/steps/duplicate.ts).
duplicate-found =
    A report of the same kind, { $code }, is already open { $distance ->
        [0] at this very spot
       *[other] { $distance } m from this spot
    } (status: { $status }).
    You can follow it to get its updates instead of filing a new one.
duplicate-follow = 🔔 Follow that report
duplicate-file-anyway = File a separate report
duplicate-followed = You are now following report { $code }. You will get its updates.
submitting = Submitting your report…
submitted =
    Your report has been registered.
    Tracking code: { $code }
    Use /status { $code } to follow it. You will be told the outcome right here.
submit-failed = We could not save your report just now. Your answers are kept: tap Submit again in a minute.
photo-download-failed = We could not fetch one of your photos from the messenger. Tap Submit to try again, or Edit to change the photos.
photo-unreadable-submit = One of your photos could not be opened as a picture. Tap Edit to change the photos.

## Hints for a wrong kind of message
hint-category = Please choose a category with the buttons above.
hint-description = Please send a text description of the problem.
hint-location = Please share a location, or type the address as text.
hint-photos = Please send a photo, or tap Done / Skip.
hint-contact = Please tap “{ contact-button }” or Skip.
hint-summary = Please choose Submit, Edit or Cancel with the buttons above.
hint-in-flow = You are in the middle of a report. Finish this step, or send /cancel to stop.

## Tracking
status-usage = Send the tracking code like this: /status 1234-5678
status-ask-code = Send the tracking code of the report (8 digits).
status-bad-format = “{ $input }” is not a tracking code. A code has 8 digits, like 1234-5678.
status-bad-checksum = Code { $input } has a typo (its check digit does not match). Please check the digits.
status-not-found = No report has code { $code }.
status-card =
    Report { $code }
    Status: { $status }
    Category: { $category }
    Filed: { $created }
status-private =
    Description: { $description }
    Location: { $location }
status-history-title = History:
status-history-line = • { $date } — { $status }
status-history-line-detail = • { $date } — { $status } — { $detail }
my-empty = You have not filed any reports yet. Send /new to start.
my-title = Your latest reports:
my-line = • { $code } — { $category } — { $status } ({ $date })

## Status names
status-new = received
status-assigned = assigned to an official
status-in_progress = in progress
status-resolved = resolved
status-rejected = rejected
status-duplicate = merged as a duplicate
status-reopened = reopened

## Notifications
notify-status =
    Update on report { $code }: { $status }.
notify-status-follower =
    Update on the report you follow (code { $code }): { $status }.
notify-note = Note from the city: { $note }

## Staff card (new case)
staff-no-coordinates = { $address } (⚠️ no coordinates, needs location check)

## Forget me
forget-ask =
    Delete your personal data? Your name, username and phone number will be removed from all your reports. The reports themselves stay, anonymously, so the city can still fix the problems.
forget-confirm = 🗑 Yes, delete my data
forget-keep = No, keep it
forget-queued = Your request is recorded. Your personal data will be removed.
forget-already = Your earlier request is already in the queue.
forget-kept = Nothing was changed.

## Command menu (shown by the messenger)
cmd-new = Report a problem
cmd-status = Track a report by code
cmd-my = My reports
cmd-language = Language / زبان
cmd-cancel = Cancel the current report
cmd-help = Help
cmd-privacy = Privacy
