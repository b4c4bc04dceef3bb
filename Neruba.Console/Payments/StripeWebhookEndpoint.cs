using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Neruba.Infrastructure.Payments.Webhooks;

namespace Neruba.Console.Payments;

/// <summary>
/// <c>POST /webhooks/stripe/{project}</c>: Stripe's deliveries, anonymous by nature and trusted only after the signature on the raw body
/// verifies. Answers 200 as soon as the event is stored (processing is a job), 400 to a bad signature, 404 to an unknown or unconfigured project.
/// </summary>
public static class StripeWebhookEndpoint
{
    public const string Pattern = "/webhooks/stripe/{project}";

    public static IEndpointRouteBuilder MapStripeWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost(Pattern, async (string project, HttpContext http, StripeWebhookIntake intake, CancellationToken cancellationToken) =>
        {
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = StripeWebhookIntake.MaxBodyBytes;
            }

            string body;
            try
            {
                using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
                body = await reader.ReadToEndAsync(cancellationToken);
            }
            catch (BadHttpRequestException)
            {
                return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The webhook body is too large.");
            }

            var result = await intake.ReceiveAsync(project, body, http.Request.Headers["Stripe-Signature"].ToString(), cancellationToken);
            return result.Outcome switch
            {
                WebhookIntakeOutcome.Stored or WebhookIntakeOutcome.Duplicate => Results.Ok(new { received = true, duplicate = result.Outcome == WebhookIntakeOutcome.Duplicate, result.EventId }),
                WebhookIntakeOutcome.BadSignature => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Signature verification failed.", detail: result.Message),
                // One answer for "no such project" and "no Stripe keys": the endpoint does not tell strangers which projects exist.
                _ => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No Stripe webhook endpoint here."),
            };
        }).AllowAnonymous().DisableAntiforgery().WithName("StripeWebhook");
        return app;
    }
}
