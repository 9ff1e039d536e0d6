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
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/souk-commerce/souk/bot/whatsapp"
)

// phoneKeys name the fields that hold a shopper's (or a shared contact's)
// phone number, or their business-scoped user id (US.1349...), whose
// digits are replaced as a phone's are, so that it stays one.
var phoneKeys = map[string]bool{"wa_id": true, "from": true, "recipient_id": true, "recipient": true,
	"to": true, "phone": true, "mobile": true, "msisdn": true, "new_wa_id": true, "customer": true,
	"user_id": true, "from_user_id": true, "recipient_user_id": true, "parent_user_id": true,
	"recipient_parent_user_id": true}

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
	return fmt.Sprintf("1555%09d", p.sum("phone:"+digits(asciiDigits(phone)))%1_000_000_000)
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

// userIDPrefix is the country code and dot (and ENT. of a parent id) of a
// business-scoped user id; false for anything else.
func userIDPrefix(v string) (string, bool) {
	if !whatsapp.ValidUserID(v) {
		return "", false
	}
	if strings.HasPrefix(v[3:], "ENT.") {
		return v[:7], true
	}
	return v[:3], true
}

// finds maps the real phones and names of one body to their pseudonyms.
type finds struct {
	p      *Pseudonymizer
	phones map[string]string
	names  map[string]string
}

// collect walks the document for phone and name fields. A profile name is
// keyed by its contact's wa_id, so a shopper's name pseudonym follows
// their number. Keys are matched in any case, as the webhook decoder
// matches them.
func (f finds) collect(p *Pseudonymizer, v any, key string) {
	switch v := v.(type) {
	case map[string]any:
		owner := firstOf(scalar(field(v, "wa_id")), scalar(field(v, "user_id")))
		for k, x := range v {
			k = strings.ToLower(k)
			if s := scalar(x); s != "" && phoneKeys[k] && len(digits(s)) >= 6 && !(k == "from" && key == "context") {
				f.phones[digits(s)] = p.Phone(s) // a reply's context.from is the business
			}
			if k == "profile" {
				prof, _ := x.(map[string]any)
				for _, k := range []string{"name", "username"} { // a WhatsApp username names its owner too
					if name := scalar(field(prof, k)); name != "" {
						f.addName(p, name, firstOf(digits(owner), name))
					}
				}
				continue
			}
			if s := scalar(x); s != "" && nameKeys[k] && (key == "name" || k == "formatted_name") {
				f.addName(p, s, s) // a shared contact card's name
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

// replacer replaces every real phone and name inside a string, longest
// first; names case-insensitively and only as whole words, so that "Rita"
// leaves "Margherita" alone.
func (f finds) replacer() func(string) string {
	type pair struct {
		re *regexp.Regexp
		to string
	}
	var pairs []pair
	add := func(m map[string]string, before, after string) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			return len(keys[i]) > len(keys[j]) || (len(keys[i]) == len(keys[j]) && keys[i] < keys[j])
		})
		for _, k := range keys {
			pairs = append(pairs, pair{regexp.MustCompile(before + regexp.QuoteMeta(k) + after), m[k]})
		}
	}
	add(f.phones, "", "")
	// A name is a word of its own unless a letter or a combining mark
	// touches it (digits and _ do not: asha1990, ravi_kumar); in scripts
	// written without spaces between words (田中太郎です), and in Hangul,
	// whose particles join the name (김민수님), any letter is an edge.
	add(f.names, `(?i)(^|`+nameEdge+`)`, `($|`+nameEdge+`)`)
	return func(s string) string {
		for _, p := range pairs {
			for range 2 { // a boundary a match used up can start the next: "Asha Asha"
				s = p.re.ReplaceAllString(s, "${1}"+p.to+"${2}")
			}
		}
		return s
	}
}

// nameEdge matches a character that may stand next to a name.
const nameEdge = `[^\p{L}\p{M}]|[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]`

// rewrite returns v with phone fields replaced whole, numbers replaced in
// its texts, and every string passed through r but the ids, payloads and
// other fields replays route on (see keepKey).
func (f finds) rewrite(v any, key string, r func(string) string) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			v[k] = f.rewrite(x, strings.ToLower(k), r)
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
		if p, ok := f.phones[digits(v)]; ok && phoneKeys[key] {
			if prefix, ok := userIDPrefix(v); ok {
				return prefix + p // a user id stays one: US.1555…
			}
			return p // however it is spelled: "+91 98765 43210"
		}
		if textKeys[key] {
			return r(f.numbersIn(v))
		}
		if keepKey(key) {
			return v
		}
		return r(v)
	}
	return v
}

// keepKey reports a field that is left as sent: what flows route on
// (reply ids, button payloads, product and catalogue ids) and what names
// the message rather than a person (its type, time, the business's own
// number). A person's name or number there would be a coincidence.
func keepKey(key string) bool {
	switch key {
	case "id", "payload", "timestamp", "type", "object", "field", "messaging_product", "display_phone_number",
		"currency", "mime_type", "sha256", "status", "category":
		return true
	}
	return strings.HasSuffix(key, "_id")
}

// textKeys name the fields that hold what a person (or a platform) wrote,
// where any phone number may appear, in any spelling: messages, captions,
// a flow form's answers (response_json), a location's or a file's link
// (Kaleyra's media_url too), a notice's
// reason, an error's details. A button's payload is left alone: it is the
// id the flow routes on, and a replay must see it as sent.
var textKeys = map[string]bool{"body": true, "caption": true, "text": true, "title": true, "description": true,
	"address": true, "response_json": true, "url": true, "media_url": true, "reason": true, "message": true, "details": true,
	"filename": true, "footer": true, "header": true, "code": true}

// field returns m's value for key, matched in any case.
func field(m map[string]any, key string) any {
	if v, ok := m[key]; ok {
		return v
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return nil
}

// A text is read in atoms: the longest spans of digits and the marks
// people write inside numbers (+ ( ) . -), whatever surrounds them (spaces,
// quotes, slashes, colons, words of any script). An atom with a digit is a
// number unless it is a date or is glued to an ASCII letter, digit or _
// (an account SID, "v2"); marks at its ends are not part of it. Numbers
// with only spaces, dashes, slashes or invisible marks between them count
// as one, as a phone number written in groups does, unless together they
// read as a date (12/01/2025). Digits of any script count, as their values.
var dateWord = regexp.MustCompile(`^(?:([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})|([0-9]{1,2})[./-]([0-9]{1,2})[./-]([0-9]{2,4}))$`)

// isDate reports a date: year-month-day, or day and month in either order
// then the year, with a month that is one and a day that can be.
func isDate(s string) bool {
	m := dateWord.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
	if m[1] != "" {
		return between(n(2), 1, 12) && between(n(3), 1, 31)
	}
	a, b := n(4), n(5)
	return between(a, 1, 31) && between(b, 1, 31) && (a <= 12 || b <= 12)
}

func between(v, lo, hi int) bool { return v >= lo && v <= hi }

// minPhoneDigits is the fewest digits a number needs to count as a phone.
const minPhoneDigits = 8

// numbersIn replaces what may be phone numbers in s by the pseudonym of
// their digits: the shopper's own number however it is spaced, and anyone
// else's they quote. Numbers written one after another become one
// pseudonym, which keeps none of them.
func (f finds) numbersIn(s string) string {
	var b, run strings.Builder
	copied, start, end, n := 0, -1, -1, 0
	flush := func() {
		if n >= minPhoneDigits && !isDate(s[start:end]) {
			b.WriteString(s[copied:start])
			b.WriteString(f.p.Phone(run.String()))
			copied = end
		}
		start, n = -1, 0
		run.Reset()
	}
	for _, a := range numberAtoms(s) {
		if start >= 0 && strings.TrimFunc(s[end:a[0]], joins) != "" {
			flush()
		}
		if start < 0 {
			start = a[0]
		}
		end = a[1]
		for _, r := range s[a[0]:a[1]] {
			if unicode.IsDigit(r) {
				run.WriteRune(r)
				n++
			}
		}
	}
	flush()
	if copied == 0 {
		return s
	}
	b.WriteString(s[copied:])
	return b.String()
}

// joins reports a rune that may stand between the groups of one number.
func joins(r rune) bool {
	return unicode.IsSpace(r) || unicode.In(r, unicode.Pd, unicode.Cf) || r == '/'
}

// numberAtoms returns the byte spans of the numbers in s (see dateWord).
func numberAtoms(s string) [][2]int {
	var out [][2]int
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !inNumber(r) {
			i += n
			continue
		}
		j := i
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if !inNumber(r) {
				break
			}
			j += n
		}
		if a, b, ok := numberIn(s, i, j); ok {
			out = append(out, [2]int{a, b})
		}
		i = j
	}
	return out
}

// numberIn trims the marks off the atom s[i:j] and reports the number it
// holds, if it is one.
func numberIn(s string, i, j int) (int, int, bool) {
	a := i + strings.IndexFunc(s[i:j], func(r rune) bool { return r == '+' || r == '(' || unicode.IsDigit(r) })
	last := strings.LastIndexFunc(s[i:j], unicode.IsDigit)
	if a < i || last < 0 {
		return 0, 0, false
	}
	_, size := utf8.DecodeRuneInString(s[i+last:])
	b := i + last + size
	if b < j && s[b] == ')' && strings.Contains(s[a:b], "(") {
		b++ // (+44) 7700 900124
	}
	before, _ := utf8.DecodeLastRuneInString(s[:a])
	after, _ := utf8.DecodeRuneInString(s[b:])
	if glued(before) || glued(after) || isDate(s[a:b]) {
		return 0, 0, false
	}
	return a, b, true
}

func inNumber(r rune) bool {
	return unicode.IsDigit(r) || strings.ContainsRune("+().-", r)
}

// glued reports a rune that makes digits next to it part of a word.
func glued(r rune) bool {
	return r == '_' || r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// asciiDigits writes every decimal digit of s, of any script, as its
// ASCII digit, so that a number is the same number in any script.
func asciiDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf || !unicode.IsDigit(r) {
			return r
		}
		return '0' + digitValue(r)
	}, s)
}

// digitValue is the value of a decimal digit: Unicode encodes each
// script's digits as a run of ten, 0 to 9, and runs that touch are whole.
func digitValue(r rune) rune {
	first := r
	for unicode.IsDigit(first - 1) {
		first--
	}
	return (r - first) % 10
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
