using System.Text.Json.Nodes;

namespace Neruba.StripeFake;

/// <summary>An answer in Stripe's error shape; thrown by handlers, written by <see cref="Api.StripePipeline"/>.</summary>
public sealed class StripeApiException : Exception
{
    public StripeApiException()
        : this(500, "api_error", "An unknown error occurred")
    {
    }

    public StripeApiException(string message)
        : this(500, "api_error", message)
    {
    }

    public StripeApiException(string message, Exception inner)
        : base(message, inner)
    {
        Status = 500;
        Type = "api_error";
    }

    public StripeApiException(int status, string type, string message, string? code = null, string? param = null)
        : base(message)
    {
        Status = status;
        Type = type;
        Code = code;
        Param = param;
    }

    public int Status { get; }

    public string Type { get; }

    public string? Code { get; }

    public string? Param { get; }

    public string? DeclineCode { get; init; }

    public JsonObject? PaymentIntent { get; init; }

    public static StripeApiException Invalid(string message, string? param = null, string? code = null) =>
        new(400, "invalid_request_error", message, code, param);

    public static StripeApiException Missing(string kind, string id) =>
        new(404, "invalid_request_error", $"No such {kind}: '{id}'", "resource_missing", "id");

    public JsonObject ToJson()
    {
        var error = new JsonObject { ["type"] = Type, ["message"] = Message };
        if (Code is not null)
        {
            error["code"] = Code;
        }

        if (DeclineCode is not null)
        {
            error["decline_code"] = DeclineCode;
        }

        if (Param is not null)
        {
            error["param"] = Param;
        }

        if (PaymentIntent is not null)
        {
            error["payment_intent"] = PaymentIntent.DeepClone();
        }

        return new JsonObject { ["error"] = error };
    }
}
