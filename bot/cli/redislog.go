package cli

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/redis/go-redis/v9"
)

// redisLogger hands the Redis client's own messages (a pool that cannot
// dial, mostly) to log at warn, so that they are JSON like every other
// line and pass through its secret redaction, instead of going to stderr
// in the client's plain format.
type redisLogger struct{ log *slog.Logger }

// Printf implements the go-redis logging interface.
func (l redisLogger) Printf(ctx context.Context, format string, v ...any) {
	l.log.WarnContext(ctx, "redis client", "detail", fmt.Sprintf(format, v...))
}

// logRedisTo sends the Redis client's messages, process-wide, to log.
func logRedisTo(log *slog.Logger) { redis.SetLogger(redisLogger{log: log}) }

// quietRedis drops the Redis client's own messages, for one-shot operator
// commands: they report a failing Redis in their own error, and the
// client's lines (a pool that cannot dial, retried) would only repeat it
// in another format.
func quietRedis() { logRedisTo(slog.New(slog.DiscardHandler)) }
