using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Neruba.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LateEventIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_UsageEvents_ProjectId_IsLate_PeriodStart",
                table: "UsageEvents");

            migrationBuilder.CreateIndex(
                name: "IX_UsageEvents_Late",
                table: "UsageEvents",
                columns: new[] { "ProjectId", "PeriodStart" },
                filter: "\"IsLate\" = 1");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_UsageEvents_Late",
                table: "UsageEvents");

            migrationBuilder.CreateIndex(
                name: "IX_UsageEvents_ProjectId_IsLate_PeriodStart",
                table: "UsageEvents",
                columns: new[] { "ProjectId", "IsLate", "PeriodStart" });
        }
    }
}
