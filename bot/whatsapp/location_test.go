package whatsapp

import (
	"reflect"
	"testing"
)

// TestDecodeLocation checks that a location message is KindLocation only
// with a latitude and longitude on Earth (numbers or numeric strings); a
// pin without them stays KindOther, so no route takes a place that is not
// there.
func TestDecodeLocation(t *testing.T) {
	tests := []struct {
		name, location string
		want           *Location
	}{
		{"a named place", `{"latitude":18.5204,"longitude":73.8567,"name":"Home","address":"12 MG Road, Pune","url":"https://maps.example/x"}`,
			&Location{Latitude: 18.5204, Longitude: 73.8567, Name: "Home", Address: "12 MG Road, Pune", URL: "https://maps.example/x"}},
		{"numbers as strings", `{"latitude":"-33.8688","longitude":"151.2093"}`, &Location{Latitude: -33.8688, Longitude: 151.2093}},
		{"the equator at Greenwich", `{"latitude":0,"longitude":0}`, &Location{}},
		{"no latitude", `{"longitude":73.8}`, nil},
		{"latitude past the pole", `{"latitude":999,"longitude":73.8}`, nil},
		{"longitude not a number", `{"latitude":18.5,"longitude":"abc"}`, nil},
		{"latitude null", `{"latitude":null,"longitude":73.8}`, nil},
		{"not an object", `"somewhere"`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{` +
				`"messages":[{"from":"919876543210","id":"wamid.L","timestamp":"1763712400","type":"location","location":` + tt.location + `}]}}]}]}`
			evs, err := Decode([]byte(body))
			if err != nil || len(evs) != 1 {
				t.Fatalf("Decode = %v, %v; want one event", evs, err)
			}
			wantKind := KindLocation
			if tt.want == nil {
				wantKind = KindOther
			}
			if ev := evs[0]; ev.Kind != wantKind || !reflect.DeepEqual(ev.Location, tt.want) {
				t.Errorf("Decode = kind %s, location %+v; want %s, %+v", ev.Kind, ev.Location, wantKind, tt.want)
			}
		})
	}
}
