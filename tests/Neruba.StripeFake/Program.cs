// Standalone fake Stripe for a person (demo, manual testing):
//   dotnet run --project tests/Neruba.StripeFake -- --urls http://127.0.0.1:12111 \
//     --WebhookUrl http://localhost:5080/webhooks/stripe/demo --WebhookSecret whsec_demo...
// Every FakeStripeOptions property binds from the command line (--SecretKey, --WebhookMode Manual, --WebhookDelay 00:00:02, ...).
using Neruba.StripeFake;

var builder = WebApplication.CreateSlimBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:12111");
}

var options = new FakeStripeOptions();
builder.Configuration.Bind(options);
await using var fake = await FakeStripeServer.StartAsync(builder, options).ConfigureAwait(false);
Console.WriteLine($"Fake Stripe listening on {fake.BaseUrl} (dashboard: {fake.BaseUrl}/_fake)");
Console.WriteLine($"API key accepted: {(string.IsNullOrEmpty(options.SecretKey) ? "any sk_test_... key" : options.SecretKey)}");
Console.WriteLine(options.WebhookUrl is { Length: > 0 }
    ? $"Webhooks to {options.WebhookUrl}, signed with {options.WebhookSecret}"
    : "No webhook target (pass --WebhookUrl and --WebhookSecret)");
await fake.WaitForShutdownAsync().ConfigureAwait(false);
