// Package recording writes webhook bodies to a JSON-lines file that
// `souk replay` reads back, with every shopper's phone number and name
// replaced by a pseudonym so a recording can be shared.
//
// The same shopper gets the same pseudonym in every field where the number
// or the name appears (wa_id, from, recipient_id, contact cards, and inside
// any text), and, for one secret, across processes and recordings:
// pseudonyms are keyed hashes of the real values.
//
//	rec, err := recording.Open("webhooks.jsonl", secret)   // appends
//	hook := webhook.Config{..., Recorder: rec.Record}
package recording
