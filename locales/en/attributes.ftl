## A category's extra questions, asked after the description (the question itself is the category's own text)
attribute-how-text = Please type your answer.
attribute-how-number = Please send a number.
# $input: an example date in the accepted form
attribute-how-datetime = Please send the date as { $input } (year-month-day).
attribute-how-single = Please choose one with the buttons.
attribute-how-multi = Choose one or more with the buttons, then tap “{ attribute-done-button }”.
attribute-optional = This question is optional: if you do not know, tap “{ attribute-skip-button }”.
attribute-skip-button = ⏭ Skip
attribute-done-button = ✅ Done
attribute-chosen = Chosen so far: { $values }. Choose more, or tap “{ attribute-done-button }”.
attribute-required = This question needs an answer.
attribute-not-a-number = That is not a number. Please send digits only, for example 12.
attribute-not-a-date = That is not a date in the form { $input }. Please send it like that.
attribute-not-in-list = Please choose with the buttons.
attribute-too-long = That answer is { $length } characters long; the limit is { $max }. Please shorten it.
hint-attribute-text = Please send your answer as a text message.
hint-attribute-text-optional = Please send your answer as a text message, or tap “{ attribute-skip-button }”.
hint-attribute-list = Please choose with the buttons above.
hint-attribute-list-optional = Please choose with the buttons above, or tap “{ attribute-skip-button }”.
edit-attributes = Extra questions

## The answers, in the summary, on the staff card and in /case
attribute-answer = { $question }: { $answer }
attribute-skipped = —
