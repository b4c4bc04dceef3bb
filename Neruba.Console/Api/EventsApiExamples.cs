using Neruba.Console.Api.Reference;
using static Neruba.Console.Api.EventsApi;
using static Neruba.Console.Api.Reference.ApiExampleValues;

namespace Neruba.Console.Api;

/// <summary>Reference examples for <see cref="EventsApi"/>, and the body's shape (the handler reads it field by field).</summary>
internal static class EventsApiExamples
{
    /// <param name="EventId">Your unique id of the event: a resent event with the same id and content is a duplicate, with other content a conflict.</param>
    /// <param name="CustomerId">The customer's external id or Neruba id.</param>
    /// <param name="Metric">The code of a billable metric.</param>
    /// <param name="OccurredAt">When it happened, RFC 3339 with a zone.</param>
    /// <param name="Properties">The values the metric aggregates and filters on.</param>
    public sealed record EventBody(string EventId, string CustomerId, string Metric, DateTimeOffset OccurredAt, Dictionary<string, object>? Properties);

    public sealed record EventsBody(IReadOnlyList<EventBody> Events);

    public static readonly EventsBody Request = new(
    [
        new("evt_20261126_000187", ExternalId, "api_calls", new DateTimeOffset(2026, 11, 26, 14, 3, 12, TimeSpan.Zero),
            new Dictionary<string, object> { ["calls"] = 120, ["region"] = "eu-west" }),
        new("evt_20261126_000188", ExternalId, "api_calls", new DateTimeOffset(2026, 11, 26, 14, 3, 13, TimeSpan.Zero),
            new Dictionary<string, object> { ["calls"] = 80, ["region"] = "eu-west" }),
    ]);

    public static readonly ResponseDto Response = new(1, 1, 0, 0, 0,
        [new ItemDto(0, "evt_20261126_000187", "accepted", null, false), new ItemDto(1, "evt_20261126_000188", "duplicate", null, false)]);

    public static RouteHandlerBuilder IngestDocs(this RouteHandlerBuilder endpoint) => endpoint
        .Documented("Send usage events",
            "Up to 1,000 usage events per request (at most 2 MiB), each answered on its own in `results` by its index: accepted, duplicate " +
            "(same eventId and content, already stored), conflict (same eventId, other content) or rejected with a reason. An event for a period " +
            "already billed is stored and flagged `late`. A body that is not `{\"events\": [...]}` is refused whole; 503 with Retry-After when " +
            "the events cannot be stored now (resend them: event ids make that safe).", 400, 413, 415, 503)
        .Request(Request).Ok(Response);
}
