using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Payments.Settings;

/// <summary>The project's Stripe settings as an Admin may see them: whether it is configured, hints, the webhook address; never a secret.</summary>
public sealed class GetStripeSettings : UseCase<GetStripeSettings.Request, StripeSettingsView>
{
    public sealed record Request;

    public override AccessRule Access { get; } = new(Permission.ManageProject);

    public override async Task<UseCaseResult<StripeSettingsView>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var slug = await context.Db.Projects.Where(p => p.Id == context.ProjectId).Select(p => p.Slug).SingleAsync(cancellationToken);
        var account = await context.Db.StripeAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.ProjectId == context.ProjectId, cancellationToken);
        return UseCaseResult<StripeSettingsView>.Ok(StripeSettingsView.From(account, slug));
    }
}
