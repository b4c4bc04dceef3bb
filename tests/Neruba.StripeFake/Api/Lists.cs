using System.Text.Json.Nodes;

namespace Neruba.StripeFake.Api;

/// <summary>Stripe's cursor lists: newest first, <c>created[gte|gt|lte|lt]</c>, <c>limit</c>, <c>starting_after</c>, <c>ending_before</c>.</summary>
internal static class Lists
{
    public static JsonObject Page(IEnumerable<JsonObject> newestFirst, FormBody query, string url)
    {
        var items = newestFirst.Where(o => InCreatedRange(o["created"].AsLong(), query)).ToList();
        var limit = (int)Math.Clamp(query.Number("limit") ?? 10, 1, 100);
        var after = query.Str("starting_after");
        var before = query.Str("ending_before");
        List<JsonObject> page;
        bool hasMore;
        if (before is not null)
        {
            var end = IndexOf(items, before, "ending_before");
            var start = Math.Max(0, end - limit);
            page = items[start..end];
            hasMore = start > 0;
        }
        else
        {
            var start = after is null ? 0 : IndexOf(items, after, "starting_after") + 1;
            page = [.. items.Skip(start).Take(limit)];
            hasMore = start + limit < items.Count;
        }

        return new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray([.. page.Select(o => o.DeepClone())]),
            ["has_more"] = hasMore,
            ["url"] = url,
        };
    }

    private static int IndexOf(List<JsonObject> items, string id, string param)
    {
        var index = items.FindIndex(o => string.Equals(o["id"]?.GetValue<string>(), id, StringComparison.Ordinal));
        return index >= 0 ? index : throw StripeApiException.Invalid($"No such object: '{id}'", param, "resource_missing");
    }

    private static bool InCreatedRange(long created, FormBody query)
    {
        if (query.Node("created") is JsonValue)
        {
            return created == query.Number("created");
        }

        return (query.Number("created", "gte") is not { } gte || created >= gte)
            && (query.Number("created", "gt") is not { } gt || created > gt)
            && (query.Number("created", "lte") is not { } lte || created <= lte)
            && (query.Number("created", "lt") is not { } lt || created < lt);
    }
}
