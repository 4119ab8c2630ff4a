## Closing the loop with the citizen
notify-resolved =
    ✅ Report { $code } is resolved.
    { $note }
feedback-ask = Was the problem fixed? Please let us know and rate how it was handled.
feedback-fixed = Fixed ✅
feedback-notfixed = Not fixed ❌
feedback-stars = { $stars }⭐
feedback-thanks-fixed = Thank you! We are glad it is fixed.
feedback-thanks-notfixed = We apologise. Report { $code } is reopened with higher priority and sent to the managers.
feedback-thanks-rating = Thank you for your rating ({ $stars } of 5).
feedback-already = You already answered this.
feedback-not-yours = Only the person who filed this report can answer.
notify-info-request =
    ❓ A question from the city about report { $code }:
    { $question }
    Just send your answer here (text or a photo).
notify-case-note = 💬 Note from the city on report { $code }: { $note }
notify-case-note-follower = 💬 Note from the city on the report you follow (code { $code }): { $note }
notify-duplicate-of = It is the same problem as report { $code }; you will get that report's updates.
info-reply-sent = Thank you, your answer was added to report { $code } and sent to the staff.
