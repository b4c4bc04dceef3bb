using System.Text.Json.Nodes;
using Neruba.StripeFake.Api;

namespace Neruba.StripeFake;

/// <summary>Uploads (Stripe.net posts them to FilesBase, which Neruba points at the fake too).</summary>
internal static class Files
{
    public static void Map(WebApplication app, FakeState state)
    {
        app.MapStripe(state, "POST", "/v1/files", Create);
        app.MapStripe(state, "GET", "/v1/files/{id}", c => c.State.Get(c.Route("id"), "file"));
        app.MapGet("/v1/files/{id}/contents", (string id) =>
        {
            lock (state.Gate)
            {
                return state.FileContents.TryGetValue(id, out var bytes) ? Results.Bytes(bytes, "application/octet-stream") : Results.NotFound();
            }
        });
    }

    private static JsonObject Create(StripeCall call)
    {
        var upload = call.Files?.GetFile("file") ?? throw StripeApiException.Invalid("Missing required param: file.", "file", "parameter_missing");
        var purpose = call.Form.Str("purpose") ?? throw StripeApiException.Invalid("Missing required param: purpose.", "purpose", "parameter_missing");
        using var stream = upload.OpenReadStream();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var id = StripeObjects.NewId("file_");
        var file = StripeObjects.Clone("file");
        file["id"] = id;
        file["created"] = call.State.Now;
        file["expires_at"] = null;
        file["filename"] = upload.FileName;
        file["purpose"] = purpose;
        file["size"] = copy.Length;
        file["title"] = null;
        file["type"] = Path.GetExtension(upload.FileName).TrimStart('.').ToLowerInvariant();
        file["links"] = StripeObjects.EmptyList($"/v1/file_links?file={id}");
        file["url"] = $"{call.State.BaseUrl}/v1/files/{id}/contents";
        call.State.FileContents[id] = copy.ToArray();
        return call.State.Add(file);
    }
}
