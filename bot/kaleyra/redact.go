package kaleyra

import (
	"strings"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// redactedText replaces a secret found in text.
const redactedText = "[redacted]"

// redact returns s with every occurrence of secret replaced.
func redact(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, redactedText)
}

// clean redacts secret from s and masks the phone numbers in it.
func clean(s, secret string) string { return whatsapp.MaskPhones(redact(s, secret)) }

// redactAPIError removes secret from every text of e, in case a server or
// proxy echoes the api-key header back, and masks the phone numbers an
// answer may quote (the recipient's, typically), since the error is
// logged and kept with dead letters.
func redactAPIError(e *APIError, secret string) *APIError {
	e.Code = redact(e.Code, secret)
	e.Message = clean(e.Message, secret)
	if e.Fields == nil {
		return e
	}
	fields := make(map[string]string, len(e.Fields))
	for k, v := range e.Fields {
		fields[redact(k, secret)] = clean(v, secret)
	}
	e.Fields = fields
	return e
}

// redactErr hides secret in err's text while keeping err reachable through
// errors.Is and errors.As.
func redactErr(err error, secret string) error {
	if secret == "" || !strings.Contains(err.Error(), secret) {
		return err
	}
	return &redactedError{err: err, secret: secret}
}

// redactedError is an error whose text has a secret removed.
type redactedError struct {
	err    error
	secret string
}

// Error returns the wrapped error's text without the secret.
func (e *redactedError) Error() string { return redact(e.err.Error(), e.secret) }

// Unwrap returns the wrapped error.
func (e *redactedError) Unwrap() error { return e.err }
