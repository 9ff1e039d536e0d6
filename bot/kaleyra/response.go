package kaleyra

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/souk-commerce/souk/internal/jsonfast"
)

// Limits on reading an answer.
const (
	maxBody    = 1 << 20 // bytes of an answer read at most
	maxExcerpt = 200     // bytes of an undecodable body kept in APIError.Message
)

// envelope is Kaleyra's answer: {"code","message","data","error"}. data is
// an object or, for CodeAuth, an array, so it stays raw.
type envelope struct {
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
	Error   json.RawMessage `json:"error"`
}

// decodeResponse turns an answer into a Result or an *APIError. Any 2xx is
// success, even when its body cannot be read or decoded.
func decodeResponse(resp *http.Response, secret string) (Result, error) {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return Result{MessageID: messageID(raw), Status: resp.StatusCode}, nil
	}
	return Result{}, redactAPIError(apiError(resp.StatusCode, raw), secret)
}

// messageID returns data.message_id, reading malformed JSON loosely. The
// answer to every send is read here, most without reflection.
func messageID(raw []byte) string {
	if id, ok := plainMessageID(raw); ok {
		return id
	}
	return decodedMessageID(raw)
}

// decodedMessageID is messageID for any input, decoded as encoding/json
// does.
func decodedMessageID(raw []byte) string {
	var env struct {
		Data struct {
			MessageID string `json:"message_id"`
		} `json:"data"`
	}
	err := jsonfast.Unmarshal(raw, &env)
	if _, syntax := errors.AsType[*json.SyntaxError](err); syntax || err != nil && !isObject(raw) {
		return looseString(raw, "message_id")
	}
	return env.Data.MessageID
}

// isObject reports whether raw, past leading space, starts a JSON object.
func isObject(raw []byte) bool {
	s := strings.TrimLeft(string(raw), " \t\r\n")
	return strings.HasPrefix(s, "{")
}

// apiError decodes a failure answer, falling back to a loose reading and an
// excerpt of the body when it is not JSON.
func apiError(status int, raw []byte) *APIError {
	var env envelope
	if err := json.Unmarshal(raw, &env); err != nil {
		msg := looseString(raw, "message")
		if msg == "" {
			msg = excerpt(raw)
		}
		return &APIError{Status: status, Code: looseString(raw, "code"), Message: msg}
	}
	return &APIError{Status: status, Code: env.Code, Message: env.Message, Fields: fields(env.Error)}
}

// fields flattens the error object into field -> text; non-string values
// keep their JSON form. It returns nil for an empty or non-object value.
func fields(raw json.RawMessage) map[string]string {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil || len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		var s string
		if json.Unmarshal(v, &s) != nil {
			s = string(v)
		}
		out[k] = s
	}
	return out
}

// looseFields holds a pattern for each key read from a body that is not
// valid JSON.
var looseFields = map[string]*regexp.Regexp{
	"code":       loosePattern("code"),
	"message":    loosePattern("message"),
	"message_id": loosePattern("message_id"),
}

// loosePattern matches "key": "value" and captures the value.
func loosePattern(key string) *regexp.Regexp {
	return regexp.MustCompile(`"` + regexp.QuoteMeta(key) + `"\s*:\s*"((?:[^"\\]|\\.)*)"`)
}

// looseString finds "key": "value" in a body that is not valid JSON, such as
// the published sample answers with missing commas.
func looseString(raw []byte, key string) string {
	m := looseFields[key].FindSubmatch(raw)
	if m == nil {
		return ""
	}
	var s string
	if json.Unmarshal(append(append([]byte{'"'}, m[1]...), '"'), &s) != nil {
		return string(m[1])
	}
	return s
}

// excerpt returns the start of a body as one trimmed line of valid UTF-8.
func excerpt(raw []byte) string {
	if len(raw) > maxExcerpt {
		raw = raw[:maxExcerpt]
	}
	s := strings.ToValidUTF8(string(raw), string(utf8.RuneError))
	return strings.Join(strings.Fields(s), " ")
}
