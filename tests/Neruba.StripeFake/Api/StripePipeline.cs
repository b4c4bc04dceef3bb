using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Neruba.StripeFake.Api;

/// <summary>
/// Everything under /v1 passes here: API key, injected faults, parameter parsing, idempotency keys, and errors in Stripe's shape.
/// </summary>
internal sealed class StripePipeline(FakeState state)
{
    private readonly Dictionary<(string Key, string Endpoint), Stored?> idempotent = [];

    private sealed record Stored(string Fingerprint, int Status, string Body);

    public static async Task WriteAsync(HttpContext ctx, int status, string json)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(json, ctx.RequestAborted).ConfigureAwait(false);
    }

    public async Task InvokeAsync(HttpContext ctx, RequestDelegate next)
    {
        if (!ctx.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal))
        {
            await next(ctx).ConfigureAwait(false);
            return;
        }

        var requestId = StripeObjects.NewId("req_", 14);
        ctx.Response.Headers["Request-Id"] = requestId;
        ctx.Response.Headers["Stripe-Version"] = Stripe.StripeConfiguration.ApiVersion;
        try
        {
            CheckApiKey(ctx);
            await InjectFaultAsync(ctx).ConfigureAwait(false);
            var (form, files, fingerprint) = await ReadParametersAsync(ctx).ConfigureAwait(false);
            var key = HttpMethods.IsPost(ctx.Request.Method) ? ctx.Request.Headers["Idempotency-Key"].ToString() : string.Empty;
            ctx.Items[typeof(StripeCall)] = new StripeCall(state, ctx, form, new RequestInfo(requestId, key.Length > 0 ? key : null)) { Files = files };
            if (key.Length == 0)
            {
                var (status, body) = await RunAsync(ctx, next).ConfigureAwait(false);
                await WriteAsync(ctx, status, body).ConfigureAwait(false);
            }
            else
            {
                await RunIdempotentAsync(ctx, next, (key, ctx.Request.Method + " " + ctx.Request.Path), fingerprint).ConfigureAwait(false);
            }
        }
        catch (StripeApiException e)
        {
            await WriteAsync(ctx, e.Status, e.ToJson().ToJsonString()).ConfigureAwait(false);
        }
    }

    private async Task RunIdempotentAsync(HttpContext ctx, RequestDelegate next, (string Key, string Endpoint) slot, string fingerprint)
    {
        var stored = Reserve(slot, fingerprint);
        if (stored is not null)
        {
            ctx.Response.Headers["Idempotent-Replayed"] = "true";
            await WriteAsync(ctx, stored.Status, stored.Body).ConfigureAwait(false);
            return;
        }

        var (status, body) = await RunAsync(ctx, next).ConfigureAwait(false);
        lock (idempotent)
        {
            // Stripe does not keep 5xx answers: a retry with the same key runs again.
            if (status >= 500)
            {
                idempotent.Remove(slot);
            }
            else
            {
                idempotent[slot] = new Stored(fingerprint, status, body);
            }
        }

        await WriteAsync(ctx, status, body).ConfigureAwait(false);
    }

    /// <summary>The stored first answer for this key, or null after claiming the key for this request.</summary>
    private Stored? Reserve((string Key, string Endpoint) slot, string fingerprint)
    {
        lock (idempotent)
        {
            if (!idempotent.TryGetValue(slot, out var stored))
            {
                idempotent[slot] = null;
                return null;
            }

            if (stored is null)
            {
                throw new StripeApiException(409, "idempotency_error", $"There is currently another in-progress request using this Idempotent Key: {slot.Key}. Please try again later.");
            }

            return string.Equals(stored.Fingerprint, fingerprint, StringComparison.Ordinal)
                ? stored
                : throw new StripeApiException(400, "idempotency_error", $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{slot.Key}' if you meant to execute a different request.");
        }
    }

    /// <summary>Runs the endpoint into a buffer so the answer can be stored for idempotency.</summary>
    private static async Task<(int Status, string Body)> RunAsync(HttpContext ctx, RequestDelegate next)
    {
        var original = ctx.Response.Body;
        using var buffer = new MemoryStream();
        ctx.Response.Body = buffer;
        try
        {
            await next(ctx).ConfigureAwait(false);
            return (ctx.Response.StatusCode, Encoding.UTF8.GetString(buffer.ToArray()));
        }
        catch (StripeApiException e)
        {
            return (e.Status, e.ToJson().ToJsonString());
        }
#pragma warning disable CA1031 // a bug in the fake still answers in Stripe's shape, with the reason
        catch (Exception e)
#pragma warning restore CA1031
        {
            return (500, new StripeApiException(500, "api_error", "Fake Stripe failed: " + e).ToJson().ToJsonString());
        }
        finally
        {
            ctx.Response.Body = original;
        }
    }

    private void CheckApiKey(HttpContext ctx)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        string key;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            key = header[7..].Trim();
        }
        else if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            // curl -u sk_test_...: (user name is the key)
            key = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())).Split(':')[0];
        }
        else
        {
            throw new StripeApiException(401, "invalid_request_error", "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
        }

        var accepted = state.Options.SecretKey is { Length: > 0 } only
            ? string.Equals(key, only, StringComparison.Ordinal)
            : key.StartsWith("sk_test_", StringComparison.Ordinal);
        if (!accepted)
        {
            var shown = key.Length > 12 ? key[..8] + "*****" + key[^4..] : key;
            throw new StripeApiException(401, "invalid_request_error", $"Invalid API Key provided: {shown}");
        }
    }

    private async Task InjectFaultAsync(HttpContext ctx)
    {
        FakeFault? fault;
        lock (state.Gate)
        {
            fault = state.TakeFault();
        }

        switch (fault)
        {
            case FakeFault.RateLimited:
                throw new StripeApiException(429, "invalid_request_error", "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.", "rate_limit");
            case FakeFault.ServerError:
                throw new StripeApiException(500, "api_error", "An unknown error occurred (injected by the fake).");
            case FakeFault.Timeout:
                try
                {
                    await Task.Delay(state.Options.TimeoutHold, state.Options.TimeProvider, ctx.RequestAborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The client gave up: nobody is left to answer.
                    ctx.Abort();
                    throw new StripeApiException(500, "api_error", "Client disconnected during an injected timeout.");
                }

                throw new StripeApiException(500, "api_error", "The request timed out (injected by the fake).");
        }
    }

    private static async Task<(FormBody Form, IFormFileCollection? Files, string Fingerprint)> ReadParametersAsync(HttpContext ctx)
    {
        if (HttpMethods.IsGet(ctx.Request.Method) || HttpMethods.IsDelete(ctx.Request.Method))
        {
            var query = ctx.Request.QueryString.Value ?? string.Empty;
            return (FormBody.Parse(query), null, query);
        }

        if (ctx.Request.HasFormContentType && ctx.Request.ContentType!.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            var multipart = await ctx.Request.ReadFormAsync(ctx.RequestAborted).ConfigureAwait(false);
            var pairs = multipart.SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? string.Empty))).ToList();
            var print = string.Join('&', pairs.Select(p => p.Key + "=" + p.Value))
                + string.Concat(multipart.Files.Select(f => "&" + f.Name + ":" + f.FileName + ":" + f.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return (FormBody.FromPairs(pairs), multipart.Files, print);
        }

        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(ctx.RequestAborted).ConfigureAwait(false);
        return (FormBody.Parse(body), null, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(body))));
    }
}
