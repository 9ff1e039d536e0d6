package whatsapp

import "math"

// Total is the sum of quantity times unit price over all items, rounded to
// cents.
func (o Order) Total() float64 {
	var sum float64
	for _, it := range o.Items {
		sum += float64(it.Quantity) * it.Price
	}
	return math.Round(sum*100) / 100
}

// Currency is the currency of the first item, or "" for an empty cart.
func (o Order) Currency() string {
	if len(o.Items) == 0 {
		return ""
	}
	return o.Items[0].Currency
}

// LineTotal is the item's quantity times its unit price, rounded to cents.
func (it OrderItem) LineTotal() float64 {
	return math.Round(float64(it.Quantity)*it.Price*100) / 100
}
