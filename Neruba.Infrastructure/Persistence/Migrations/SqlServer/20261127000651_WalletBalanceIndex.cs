using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Neruba.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class WalletBalanceIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Postings_AccountId",
                table: "Postings");

            migrationBuilder.CreateIndex(
                name: "IX_Postings_AccountId_CreditBlockId_Amount",
                table: "Postings",
                columns: new[] { "AccountId", "CreditBlockId", "Amount" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Postings_AccountId_CreditBlockId_Amount",
                table: "Postings");

            migrationBuilder.CreateIndex(
                name: "IX_Postings_AccountId",
                table: "Postings",
                column: "AccountId");
        }
    }
}
