package whatsapp

// WhatsApp's limits on outbound messages, in characters (Unicode code
// points) or items. WhatsApp rejects a message that breaks one; it never
// cuts it.
const (
	MaxTextBody       = 4096 // text and catalogue-link body
	MaxHeader         = 60   // interactive header text
	MaxBody           = 1024 // interactive body text
	MaxFooter         = 60   // interactive footer text
	MaxListButton     = 20   // list action button
	MaxSections       = 10   // sections of a list or product list
	MaxSectionTitle   = 24   // section title
	MaxListRows       = 10   // rows across all sections of a list
	MaxRowID          = 200  // list row id
	MaxRowTitle       = 24   // list row title
	MaxRowDescription = 72   // list row description
	MaxButtons        = 3    // reply buttons
	MaxButtonID       = 256  // reply button id
	MaxButtonTitle    = 20   // reply button title
	MaxProducts       = 30   // products across all sections of a product list
	MaxTemplateName   = 512  // template name
	MaxParamSpaces    = 4    // spaces in a row in a template parameter
	MaxRef            = 255  // extra_info ref, ref1, ref2 (Kaleyra cuts longer ones)
)
