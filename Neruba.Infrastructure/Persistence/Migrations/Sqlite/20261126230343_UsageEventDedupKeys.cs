using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Neruba.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UsageEventDedupKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_UsageEvents_CustomerId_MetricId_OccurredAt",
                table: "UsageEvents");

            migrationBuilder.DropIndex(
                name: "IX_UsageEvents_ProjectId_EventId",
                table: "UsageEvents");

            migrationBuilder.AddColumn<long>(
                name: "DedupKey",
                table: "UsageEvents",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // Rows stored before dedup keys get a unique negative placeholder; EventDedupKeyBackfill gives each its real key at start-up.
            migrationBuilder.Sql("UPDATE \"UsageEvents\" SET \"DedupKey\" = -\"Id\";");

            migrationBuilder.CreateIndex(
                name: "IX_UsageEvents_DedupKey",
                table: "UsageEvents",
                column: "DedupKey",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_UsageEvents_DedupKey",
                table: "UsageEvents");

            migrationBuilder.DropColumn(
                name: "DedupKey",
                table: "UsageEvents");

            migrationBuilder.CreateIndex(
                name: "IX_UsageEvents_CustomerId_MetricId_OccurredAt",
                table: "UsageEvents",
                columns: new[] { "CustomerId", "MetricId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_UsageEvents_ProjectId_EventId",
                table: "UsageEvents",
                columns: new[] { "ProjectId", "EventId" },
                unique: true);
        }
    }
}
