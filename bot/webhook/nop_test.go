package webhook_test

import (
	"context"

	"github.com/souk-commerce/souk/bot"
	"github.com/souk-commerce/souk/bot/whatsapp"
)

type nopEngine struct{}

func (nopEngine) Handle(context.Context, whatsapp.Event) (bot.Result, error) {
	return bot.Result{}, nil
}
