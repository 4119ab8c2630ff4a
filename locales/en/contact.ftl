## 📞 Contact citizen: the phone number is masked on the card; the whole number only in private, recorded
card-btn-contact = 📞 Contact citizen
# The masked number on the card (wrapped in LRMs in Persian).
card-phone = { $phone }
history-phone_viewed = 📞 viewed the citizen's phone number
contact-sent = I sent you the phone number for case { $code } in a private message.
contact-private =
    📞 Citizen of case { $code }: { $name }
    Phone: { $phone }
    This access is recorded in the case history; use the number for this case only.
contact-open-private = The number is sent only in a private chat. Open @{ $bot }, press Start, then press “📞 Contact citizen” again.
contact-no-phone = The citizen gave no phone number for case { $code }.
