package kaleyratest

import "net/http"

// documented holds Kaleyra's documented error answers by code, as its API
// reference prints them (bot/kaleyra/testdata/errors holds the same bodies).
var documented = map[string]Answer{
	"WA400":  {Status: http.StatusBadRequest, Body: `{"code":"WA400","message":"Refer to correct payload format","data":{},"error":{"payload":"Incorrect payload format"}}`},
	"RBC001": {Status: http.StatusUnauthorized, Body: `{"code":"RBC001","message":"Incorrect SID or API key.","data":[],"error":{"error":"Incorrect SID or API key."}}`},
	"WA401":  {Status: http.StatusUnauthorized, Body: `{"code":"WA401","message":"Phone number is not present or does not belong to the account.","data":{},"error":{"phone_number":"Phone number is not present or does not belong to the account."}}`},
	"WA-401": {Status: http.StatusUnauthorized, Body: `{"code":"WA-401","message":"API is not available for given customer.Please contact support for more info","data":{},"error":{"account":"API is not available for given customer.Please contact support for more info"}}`},
	"E110":   {Status: http.StatusBadRequest, Body: `{"code":"E110","message":"Please check your balance, You have a low balance!","data":{},"error":{"balance":"Please check your balance, You have a low balance!"}}`},
	"WA500":  {Status: http.StatusInternalServerError, Body: `{"code":"WA500","message":"Please try again later","data":{},"error":{"error":"Internal server error"}}`},
}

// Codes lists the error codes a Failure may name.
func Codes() []string { return []string{"WA400", "RBC001", "WA401", "WA-401", "E110", "WA500"} }

// CodeDrop is a Failure code that gives no answer at all: the connection is
// cut, which a client sees as a transport error.
const CodeDrop = "drop"

// Failure is one injected failure.
type Failure struct {
	// Code is one of Codes, or CodeDrop.
	Code string
	// Status and Body, when set, replace the documented answer of Code.
	Status int
	Body   string
}

// Answer returns the answer f gives: Kaleyra's documented status and body
// for f.Code (WA500's for an unknown code), with f.Status and f.Body in
// their place when set, or no answer at all for CodeDrop.
func (f Failure) Answer() Answer {
	a, ok := documented[f.Code]
	if !ok {
		a = documented["WA500"]
	}
	if f.Status != 0 {
		a.Status = f.Status
	}
	if f.Body != "" {
		a.Body = f.Body
	}
	a.code, a.drop = f.Code, f.Code == CodeDrop
	return a
}

// KnownCode reports whether code names a documented error or CodeDrop.
func KnownCode(code string) bool {
	_, ok := documented[code]
	return ok || code == CodeDrop
}
