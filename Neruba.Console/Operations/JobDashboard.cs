using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authorization;
using Neruba.Console.Access;

namespace Neruba.Console.Operations;

public static class JobDashboard
{
    public const string Path = "/jobs";

    /// <summary>
    /// The Hangfire dashboard, for system administrators only (it shows and runs every project's jobs, so no
    /// role inside one project is enough). The endpoint's policy sends strangers to sign-in; the dashboard
    /// filter checks the same policy again, from the database, for every dashboard request.
    /// </summary>
    public static void MapJobDashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHangfireDashboard(Path, new DashboardOptions
        {
            DashboardTitle = "Neruba jobs",
            AppPath = "/operations/jobs",
            Authorization = [],
            AsyncAuthorization = [new PolicyDashboardFilter(SystemAdminPolicy.Name)],
        }).RequireAuthorization(SystemAdminPolicy.Name);
    }

    private sealed class PolicyDashboardFilter(string policy) : IDashboardAsyncAuthorizationFilter
    {
        public async Task<bool> AuthorizeAsync(DashboardContext context)
        {
            var http = context.GetHttpContext();
            var authorization = http.RequestServices.GetRequiredService<IAuthorizationService>();
            return (await authorization.AuthorizeAsync(http.User, policy)).Succeeded;
        }
    }
}
