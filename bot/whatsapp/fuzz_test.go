package whatsapp

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	fastjson "github.com/go-json-experiment/json/v1"
	"github.com/souk-commerce/souk/internal/fuzzseed"
)

func FuzzDecode(f *testing.F) {
	fuzzseed.AddFiles(f, filepath.Join("testdata", "inbound", "*"))
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := Decode(body)
		switch {
		case err == nil, errors.Is(err, ErrUnknownEnvelope):
		case errors.Is(err, ErrMalformed):
			if _, ok := errors.AsType[*SyntaxError](err); !ok {
				t.Fatalf("malformed error %v is not a *SyntaxError", err)
			}
		default:
			t.Fatalf("unexpected error %v", err)
		}
		if err != nil && len(events) > 0 {
			t.Fatalf("%d events with error %v", len(events), err)
		}
		for _, ev := range events {
			checkEvent(t, ev)
		}
	})
}

// checkEvent fails on an event that breaks what callers rely on.
func checkEvent(t *testing.T, ev Event) {
	t.Helper()
	if ev.Envelope == "" {
		t.Fatalf("event without envelope: %+v", ev)
	}
	if (ev.Kind == KindStatus) != (ev.Status != nil) {
		t.Fatalf("kind %s with status %v", ev.Kind, ev.Status)
	}
	if (ev.Kind == KindOrder) != (ev.Order != nil) {
		t.Fatalf("kind %s with order %v", ev.Kind, ev.Order)
	}
	if ev.Order != nil {
		_ = ev.Order.Total()
	}
}

// FuzzDecodeSame holds unmarshal's fast decoder to encoding/json: on a
// body the fast one decodes without error, encoding/json must decode it
// without error too, to the same envelope; on any other body unmarshal
// uses encoding/json itself.
func FuzzDecodeSame(f *testing.F) {
	fuzzseed.AddFiles(f, filepath.Join("testdata", "inbound", "*"))
	for _, s := range sameSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var fast, std envelope
		if fastjson.Unmarshal(body, &fast) != nil {
			return
		}
		if err := json.Unmarshal(body, &std); err != nil {
			t.Fatalf("the fast decoder took a body encoding/json rejects (%v)", err)
		}
		if !reflect.DeepEqual(fast, std) {
			t.Fatalf("decoders differ:\nfast %+v\nstd  %+v", fast, std)
		}
	})
}

// sameSeeds are bodies on which JSON decoders are known to part ways.
var sameSeeds = []string{
	`{"OBJECT":"whatsapp_business_account","Entry":[{"CHANGES":[{"Field":"messages","VALUE":{"Messages":[{"FROM":"919876543210","ID":"x","TYPE":"text","TEXT":{"BODY":"hi"}}]}}]}]}`,
	`{"object":"whatsapp_business_account","object":"other","entry":[],"entry":[{"changes":[]}]}`,
	"{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"value\":{\"messages\":[{\"from\":\"91\xff\",\"type\":\"text\",\"text\":{\"body\":\"a\xc3\"}}]}}]}]}",
	`{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"messages":[{"from":"\u0039\u0031","timestamp":1700000000,"type":"text","text":{"body":"\ud83d\ude00 \ud800"}}]}}]}]}`,
	`{"meta_object":{"field":"messages","value":{"contacts":[{"profile":{"name":null},"wa_id":919876543210}]}},"extra_info":{"ref":12,"message_id":"k"}}`,
	`{"code":"WAV2101","status":"not sent","message_id":null,"extra_info":{"ref":"r"}}`,
	`{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"messages":[{"from":"919876543210","type":"order","order":{"catalog_id":"c","product_items":[{"product_retailer_id":"p","quantity":"2","item_price":"1.5e2","currency":"INR"}]}}]}}]}]}`,
	`{"ſtatus":"x","K":"y"}`,
}
