package catalog

import (
	"math"
	"strconv"
	"strings"
)

// minorDigits lists the ISO 4217 currencies whose minor unit is not a
// hundredth: the yen has none, the Kuwaiti dinar has thousandths.
var minorDigits = map[string]int{
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
	"PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
	"CLF": 4, "UYW": 4,
}

// Decimals is how many decimal places an amount in currency has: its ISO
// 4217 minor unit, 2 for a code the standard gives two or does not list.
func Decimals(currency string) int {
	if d, ok := minorDigits[currency]; ok {
		return d
	}
	return 2
}

// Round rounds v to currency's minor unit.
func Round(v float64, currency string) float64 {
	p := math.Pow10(Decimals(currency))
	return math.Round(v*p) / p
}

// Format writes v with currency's decimal places, without the code:
// "9.50" EUR, "1500" JPY, "3.710" KWD.
func Format(v float64, currency string) string {
	return strconv.FormatFloat(v, 'f', Decimals(currency), 64)
}

// Money writes v with currency's decimal places and its code: "9.50 EUR";
// just the number when currency is empty.
func Money(v float64, currency string) string {
	if currency == "" {
		return Format(v, currency)
	}
	return Format(v, currency) + " " + currency
}

// normalCurrency is a currency code as ISO 4217 writes it: "eur" is EUR.
func normalCurrency(c string) string { return strings.ToUpper(strings.TrimSpace(c)) }
