package whatsapp

// The inbound wire shapes. Leaves use the lenient types of lenient.go, and
// Decode tolerates a container of the wrong type (it is skipped), so a
// webhook decodes as far as it makes sense.

// envelope is the top level of any of the three webhook envelopes.
type envelope struct {
	Object     flexString   `json:"object"`      // Meta
	Entry      []entry      `json:"entry"`       // Meta; nil unless an array
	MetaObject *change      `json:"meta_object"` // Kaleyra v2; see Decode
	ExtraInfo  kaleyraExtra `json:"extra_info"`  // Kaleyra v2 and notice
	Status     flexString   `json:"status"`      // Kaleyra v2 status and notice
	MessageID  flexString   `json:"message_id"`  // Kaleyra v2 status and notice
	Code       flexString   `json:"code"`        // notice
	Reason     flexString   `json:"reason"`      // notice
	Timestamp  flexString   `json:"timestamp"`   // notice, when sent
}

// kaleyraExtra is the part of Kaleyra's extra_info that souk reads.
type kaleyraExtra struct {
	Ref       flexString `json:"ref"`
	MessageID flexString `json:"message_id"`
	MediaURL  flexString `json:"media_url"` // Kaleyra's copy of a shopper's file
}

type entry struct {
	ID      flexString `json:"id"`
	Changes []change   `json:"changes"`
}

type change struct {
	Field flexString `json:"field"`
	Value value      `json:"value"`
}

type value struct {
	Metadata metadata     `json:"metadata"`
	Contacts []contact    `json:"contacts"`
	Messages []message    `json:"messages"`
	Statuses []wireStatus `json:"statuses"`
	Errors   []wireError  `json:"errors"`
}

type metadata struct {
	DisplayPhoneNumber flexString `json:"display_phone_number"`
	PhoneNumberID      flexString `json:"phone_number_id"`
}

type contact struct {
	WaID    flexString `json:"wa_id"`
	UserID  flexString `json:"user_id"`
	Profile struct {
		Name flexString `json:"name"`
	} `json:"profile"`
}

type message struct {
	From       flexString `json:"from"`
	FromUserID flexString `json:"from_user_id"`
	ID         flexString `json:"id"`
	Timestamp  flexString `json:"timestamp"`
	Type       flexString `json:"type"`
	Context    struct {
		ID flexString `json:"id"`
	} `json:"context"`
	Text struct {
		Body flexString `json:"body"`
	} `json:"text"`
	Interactive interactiveReply `json:"interactive"`
	Button      struct {
		Payload flexString `json:"payload"`
		Text    flexString `json:"text"`
	} `json:"button"`
	Order    wireOrder    `json:"order"`
	Location wireLocation `json:"location"`
	Image    *wireMedia   `json:"image"`
	Video    *wireMedia   `json:"video"`
	Audio    *wireMedia   `json:"audio"`
	Document *wireMedia   `json:"document"`
}

// wireMedia is the object an image, video, audio or document message
// carries under the key of its type; pointers, so that the messages that
// carry none (most) do not grow by four of them.
type wireMedia struct {
	ID       flexString `json:"id"`
	MimeType flexString `json:"mime_type"`
	SHA256   flexString `json:"sha256"`
	Caption  flexString `json:"caption"`
	Filename flexString `json:"filename"`
	URL      flexString `json:"url"`
	Voice    flexString `json:"voice"` // audio: true for a voice note
}

type wireLocation struct {
	Latitude  coordinate `json:"latitude"`
	Longitude coordinate `json:"longitude"`
	Name      flexString `json:"name"`
	Address   flexString `json:"address"`
	URL       flexString `json:"url"`
}

type interactiveReply struct {
	Type        flexString `json:"type"`
	ListReply   wireReply  `json:"list_reply"`
	ButtonReply wireReply  `json:"button_reply"`
}

type wireReply struct {
	ID    flexString `json:"id"`
	Title flexString `json:"title"`
}

type wireOrder struct {
	CatalogID    flexString `json:"catalog_id"`
	Text         flexString `json:"text"`
	ProductItems []wireItem `json:"product_items"`
}

type wireItem struct {
	ProductRetailerID flexString `json:"product_retailer_id"`
	Quantity          flexInt    `json:"quantity"`
	ItemPrice         flexFloat  `json:"item_price"`
	Currency          flexString `json:"currency"`
}

type wireStatus struct {
	ID          flexString  `json:"id"`
	Status      flexString  `json:"status"`
	Timestamp   flexString  `json:"timestamp"`
	RecipientID flexString  `json:"recipient_id"`
	UserID      flexString  `json:"recipient_user_id"`
	Errors      []wireError `json:"errors"`
}

type wireError struct {
	Code      flexString `json:"code"`
	Title     flexString `json:"title"`
	Message   flexString `json:"message"`
	ErrorData struct {
		Details flexString `json:"details"`
	} `json:"error_data"`
}

// reason is the most specific human text the error carries.
func (e wireError) reason() string {
	for _, s := range []flexString{e.Message, e.Title, e.ErrorData.Details} {
		if s != "" {
			return string(s)
		}
	}
	return ""
}
