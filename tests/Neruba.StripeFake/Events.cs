using Neruba.StripeFake.Api;

namespace Neruba.StripeFake;

internal static class Events
{
    public static void Map(WebApplication app, FakeState state)
    {
        app.MapStripe(state, "GET", "/v1/events/{id}", c => c.State.Get(c.Route("id"), "event"));
        app.MapStripe(state, "GET", "/v1/events", c =>
        {
            var type = c.Form.Str("type");
            var matching = c.State.All("event").Where(e => type is null || string.Equals(e["type"]?.GetValue<string>(), type, StringComparison.Ordinal));
            return Lists.Page(matching, c.Form, "/v1/events");
        });
    }
}
