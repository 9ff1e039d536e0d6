// Package catalog is the merchant's product catalogue as souk knows it: a
// CSV or YAML file of products (retailer id, name, price, currency and an
// optional description) loaded beside a flow, and the priced view of a
// shopper's cart that templates and handlers see.
//
// The catalogue never overrides what WhatsApp says a cart costs: prices come
// from the webhook's item_price and currency, and the catalogue fills in
// names, fills prices the webhook left out, and reports mismatches.
//
//	cat, problems := catalog.Load("examples/shop-with-handlers/products.csv")
//	if len(problems) > 0 { ... }
//	order, mismatches := catalog.Price(wireOrder, cat)
//	fmt.Println(order.Items[0].Name, order.Total, order.Currency)
package catalog
