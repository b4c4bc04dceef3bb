using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Neruba.Infrastructure.Payments;

public static class PaymentsRegistration
{
    /// <summary>Stripe: options, encrypted secrets, the client gateway, webhook intake and the jobs that process events, collect and refund.</summary>
    public static IServiceCollection AddNerubaPayments(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(StripeOptions.Load(configuration));
        services.AddSingleton<StripeSecrets>();
        services.AddSingleton<StripeGateway>();
        services.AddSingleton<Webhooks.StripeWebhookIntake>();
        services.AddTransient<Webhooks.StripeEventProcessor>();
        services.AddTransient<Collection.CollectionJob>();
        services.AddTransient<Collection.AutoCollection>();
        services.AddTransient<Refunds.StripeRefundJob>();
        services.AddTransient<Fees.StripeFeeJob>();
        services.AddTransient<StripeRecoveryJob>();
        services.AddTransient<Reconciliation.ReconciliationJob>();
        services.AddTransient<Reconciliation.Reconciliations>();
        return services;
    }
}
