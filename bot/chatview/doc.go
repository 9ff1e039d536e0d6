// Package chatview renders outbound WhatsApp messages as readable plain
// text, the way a shopper would see them, with the ids a tester needs: a
// list shows its sections and rows with their ids, buttons their ids,
// products their retailer ids, a catalogue link its link. `souk chat` uses
// it; a web simulator or a test runner can too.
//
//	fmt.Print(chatview.Render(whatsapp.Buttons{Body: "Hungry?",
//		Buttons: []whatsapp.Button{{ID: "yes", Title: "Yes!"}}}))
//	// ┌ buttons
//	// │ Hungry?
//	// │   [yes] Yes!
//	// └
package chatview
