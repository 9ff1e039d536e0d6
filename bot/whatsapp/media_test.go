package whatsapp

import (
	"reflect"
	"testing"
)

// TestDecodeMedia checks that an image, video, audio or document message
// is KindMedia with its file, and that a sticker or a media message naming
// no file stays KindOther, so no route takes a file that is not there.
func TestDecodeMedia(t *testing.T) {
	tests := []struct {
		name, typ, object string
		want              *Media
	}{
		{"a photo with a caption", "image", `{"id":"1209876543210987","mime_type":"image/jpeg","sha256":"q83Tf0=","caption":"this one?"}`,
			&Media{Type: "image", ID: "1209876543210987", MimeType: "image/jpeg", SHA256: "q83Tf0=", Caption: "this one?"}},
		{"a document with its name", "document", `{"id":"77","mime_type":"application/pdf","filename":"invoice.pdf"}`,
			&Media{Type: "document", ID: "77", MimeType: "application/pdf", Filename: "invoice.pdf"}},
		{"a voice note", "audio", `{"id":"78","mime_type":"audio/ogg; codecs=opus","voice":true}`,
			&Media{Type: "audio", ID: "78", MimeType: "audio/ogg; codecs=opus", Voice: true}},
		{"a blank id", "video", `{"id":"  "}`, nil},
		{"a video with a link only", "video", `{"url":"https://files.example/v.mp4"}`,
			&Media{Type: "video", URL: "https://files.example/v.mp4"}},
		{"an id as a number", "image", `{"id":1209876543210987}`, &Media{Type: "image", ID: "1209876543210987"}},
		{"no id and no link", "image", `{"mime_type":"image/jpeg","caption":"lost"}`, nil},
		{"not an object", "document", `"invoice.pdf"`, nil},
		{"a sticker", "sticker", `{"id":"79","mime_type":"image/webp"}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{` +
				`"messages":[{"from":"919876543210","id":"wamid.M","timestamp":"1763712500","type":"` + tt.typ + `","` + tt.typ + `":` + tt.object + `}]}}]}]}`
			evs, err := Decode([]byte(body))
			if err != nil || len(evs) != 1 {
				t.Fatalf("Decode = %v, %v; want one event", evs, err)
			}
			wantKind := KindMedia
			if tt.want == nil {
				wantKind = KindOther
			}
			if ev := evs[0]; ev.Kind != wantKind || ev.Type != tt.typ || !reflect.DeepEqual(ev.Media, tt.want) {
				t.Errorf("Decode = kind %s, type %s, media %+v; want %s, %s, %+v", ev.Kind, ev.Type, ev.Media, wantKind, tt.typ, tt.want)
			}
		})
	}
}

// TestDecodeKaleyraMediaURL checks that a file coming through Kaleyra gets
// the link of Kaleyra's copy (extra_info.media_url), which needs no Meta
// token, in place of any link Meta gave.
func TestDecodeKaleyraMediaURL(t *testing.T) {
	tests := []struct{ name, image, mediaURL, want string }{
		{"Kaleyra's copy", `{"id":"55","url":"https://meta.example/55"}`, "https://s3.example/kaleyra/55.png", "https://s3.example/kaleyra/55.png"},
		{"no copy", `{"id":"55","url":"https://meta.example/55"}`, "", "https://meta.example/55"},
		{"only Kaleyra's copy names the file", `{"mime_type":"image/png"}`, "https://s3.example/kaleyra/56.png", "https://s3.example/kaleyra/56.png"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := `"messages":[{"from":"919876543210","id":"wamid.K","timestamp":"1763712500","type":"image","image":` + tt.image + `}]`
			body := `{"meta_object":{"field":"messages","value":{` + msg + `}},"extra_info":{"media_url":"` + tt.mediaURL + `","ref":""}}`
			evs, err := Decode([]byte(body))
			if err != nil || len(evs) != 1 || evs[0].Kind != KindMedia || evs[0].Media == nil {
				t.Fatalf("Decode = %+v, %v; want one media event", evs, err)
			}
			if got := evs[0].Media.URL; got != tt.want {
				t.Errorf("URL = %q; want %q", got, tt.want)
			}
		})
	}
}

// TestKaleyraLinkOfOneFileOnly checks that Kaleyra's one media_url is not
// given to either of two files in one change: it could be either's.
func TestKaleyraLinkOfOneFileOnly(t *testing.T) {
	body := `{"meta_object":{"field":"messages","value":{"messages":[` +
		`{"from":"919876543210","id":"wamid.A1","type":"image","image":{"id":"A1"}},` +
		`{"from":"919876543210","id":"wamid.B2","type":"document","document":{"id":"B2","url":"https://meta.example/B2"}}]}},` +
		`"extra_info":{"media_url":"https://s3.example/kaleyra/A1.jpg"}}`
	evs, err := Decode([]byte(body))
	if err != nil || len(evs) != 2 || evs[0].Media == nil || evs[1].Media == nil {
		t.Fatalf("Decode = %+v, %v; want two files", evs, err)
	}
	if evs[0].Media.URL != "" || evs[1].Media.URL != "https://meta.example/B2" {
		t.Errorf("links %q and %q; want none and Meta's own", evs[0].Media.URL, evs[1].Media.URL)
	}
}

func TestMediaString(t *testing.T) {
	tests := []struct {
		m    Media
		want string
	}{
		{Media{Type: "image", Caption: "this one?"}, `image with caption "this one?"`},
		{Media{Type: "document", Filename: "invoice march.pdf", Caption: "paid"}, `document "invoice march.pdf" with caption "paid"`},
		{Media{Type: "audio"}, "audio"},
	}
	for _, tt := range tests {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("%+v.String() = %q; want %q", tt.m, got, tt.want)
		}
	}
}
