package recording

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// phoneKeys name the fields that hold a shopper's (or a shared contact's)
// phone number.
var phoneKeys = map[string]bool{"wa_id": true, "from": true, "recipient_id": true, "recipient": true,
	"to": true, "phone": true, "mobile": true, "msisdn": true}

// nameKeys name the fields that hold a person's name.
var nameKeys = map[string]bool{"name": true, "formatted_name": true, "first_name": true, "last_name": true,
	"middle_name": true}

// Pseudonymizer replaces phone numbers and names by stable pseudonyms. It is
// safe for concurrent use.
type Pseudonymizer struct {
	key []byte
}

// NewPseudonymizer returns a Pseudonymizer keyed by secret: the same secret
// gives the same pseudonyms.
func NewPseudonymizer(secret []byte) *Pseudonymizer { return &Pseudonymizer{key: secret} }

// Phone returns the pseudonym of a phone number: a fictional number 1555
// followed by nine digits, a valid E.164 number so replays work.
func (p *Pseudonymizer) Phone(phone string) string {
	return fmt.Sprintf("1555%09d", p.sum("phone:"+digits(phone))%1_000_000_000)
}

// Name returns the pseudonym of the person known by id (their phone when
// known, else the name itself).
func (p *Pseudonymizer) Name(id string) string {
	const letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	n := p.sum("name:" + id)
	var b [4]byte
	for i := range b {
		b[i] = letters[n%uint64(len(letters))]
		n /= uint64(len(letters))
	}
	return "Shopper " + string(b[:])
}

// MessageID returns the pseudonym of a WhatsApp message id: wamids encode
// the shopper's number, so they are replaced too, consistently, so that a
// replay still sees a redelivery as a duplicate.
func (p *Pseudonymizer) MessageID(id string) string {
	return fmt.Sprintf("wamid.rec%016x", p.sum("id:"+id))
}

func (p *Pseudonymizer) sum(s string) uint64 {
	m := hmac.New(sha256.New, p.key)
	m.Write([]byte(s))
	return binary.BigEndian.Uint64(m.Sum(nil))
}

// Redact returns body with every phone number and name replaced. A body
// that is not JSON is returned as an error, never written out raw.
func (p *Pseudonymizer) Redact(body []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("recording: body is not JSON: %w", err)
	}
	found := finds{p: p, phones: map[string]string{}, names: map[string]string{}}
	found.collect(p, doc, "")
	r := found.replacer()
	doc = found.rewrite(doc, "", r)
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n")), nil
}

// finds maps the real phones and names of one body to their pseudonyms.
type finds struct {
	p      *Pseudonymizer
	phones map[string]string
	names  map[string]string
}

// collect walks the document for phone and name fields. A profile name is
// keyed by its contact's wa_id, so a shopper's name pseudonym follows
// their number.
func (f finds) collect(p *Pseudonymizer, v any, key string) {
	switch v := v.(type) {
	case map[string]any:
		owner := scalar(v["wa_id"])
		for k, x := range v {
			if s := scalar(x); s != "" && phoneKeys[k] && len(digits(s)) >= 6 {
				f.phones[digits(s)] = p.Phone(s)
			}
			if k == "profile" {
				if prof, ok := x.(map[string]any); ok && scalar(prof["name"]) != "" {
					f.addName(p, scalar(prof["name"]), firstOf(digits(owner), scalar(prof["name"])))
				}
				continue
			}
			if s := scalar(x); s != "" && nameKeys[k] && key != "metadata" {
				f.addName(p, s, s)
			}
			f.collect(p, x, k)
		}
	case []any:
		for _, x := range v {
			f.collect(p, x, key)
		}
	}
}

func (f finds) addName(p *Pseudonymizer, name, id string) {
	pseudo := p.Name(id)
	f.names[name] = pseudo
	for _, tok := range strings.Fields(name) {
		if len([]rune(tok)) >= 3 {
			if _, ok := f.names[tok]; !ok {
				f.names[tok] = pseudo
			}
		}
	}
}

// replacer replaces every real phone and name inside any text, longest
// first, names case-insensitively.
func (f finds) replacer() func(string) string {
	type pair struct {
		re *regexp.Regexp
		to string
	}
	var pairs []pair
	add := func(m map[string]string, flags string) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			return len(keys[i]) > len(keys[j]) || (len(keys[i]) == len(keys[j]) && keys[i] < keys[j])
		})
		for _, k := range keys {
			pairs = append(pairs, pair{regexp.MustCompile(flags + regexp.QuoteMeta(k)), m[k]})
		}
	}
	add(f.phones, "")
	add(f.names, "(?i)")
	return func(s string) string {
		for _, p := range pairs {
			s = p.re.ReplaceAllLiteralString(s, p.to)
		}
		return s
	}
}

// rewrite returns v with phone fields replaced and every string passed
// through r.
func (f finds) rewrite(v any, key string, r func(string) string) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			v[k] = f.rewrite(x, k, r)
		}
		return v
	case []any:
		for i, x := range v {
			v[i] = f.rewrite(x, key, r)
		}
		return v
	case json.Number:
		if p, ok := f.phones[v.String()]; ok && phoneKeys[key] {
			return p
		}
		return v
	case string:
		if strings.HasPrefix(v, "wamid.") {
			return f.p.MessageID(v)
		}
		if textKeys[key] {
			v = f.numbersIn(v)
		}
		return r(v)
	}
	return v
}

// textKeys name the fields that hold what a person wrote, where any phone
// number may appear, in any spelling. A button's payload is left alone:
// it is the id the flow routes on, and a replay must see it as sent.
var textKeys = map[string]bool{"body": true, "caption": true, "text": true, "title": true, "description": true,
	"address": true}

// A text is read word by word (words are what whitespace separates). A
// word of digits, maybe with a leading + and dots, dashes or parentheses
// among them, is a number unless it is a date; trailing punctuation is
// not part of it. Numbers that follow one another with only spaces
// between count as one, as a phone number written in groups does.
var (
	numberWord = regexp.MustCompile(`^\+?\(?[0-9][0-9().-]*$`)
	dateWord   = regexp.MustCompile(`^([0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}[./-][0-9]{1,2}[./-][0-9]{2,4})$`)
	word       = regexp.MustCompile(`\S+`)
)

// minPhoneDigits is the fewest digits a number needs to count as a phone.
const minPhoneDigits = 8

// numbersIn replaces what may be phone numbers in s by the pseudonym of
// their digits: the shopper's own number however it is spaced, and anyone
// else's they quote. Numbers written one after another become one
// pseudonym, which keeps none of them.
func (f finds) numbersIn(s string) string {
	var b strings.Builder
	copied, start, end, run := 0, -1, -1, ""
	flush := func() {
		if len(run) >= minPhoneDigits {
			b.WriteString(s[copied:start])
			b.WriteString(f.p.Phone(run))
			copied = end
		}
		start, run = -1, ""
	}
	for _, w := range word.FindAllStringIndex(s, -1) {
		core := strings.TrimRight(s[w[0]:w[1]], ",;:!?.")
		if core == "" || !numberWord.MatchString(core) || dateWord.MatchString(core) {
			flush()
			continue
		}
		if start < 0 {
			start = w[0]
		}
		end, run = w[0]+len(core), run+digits(core)
		if w[0]+len(core) < w[1] {
			flush() // punctuation ends the number
		}
	}
	flush()
	if copied == 0 {
		return s
	}
	b.WriteString(s[copied:])
	return b.String()
}

// scalar returns a string or number value as text, "" otherwise.
func scalar(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	}
	return ""
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
