using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TomAlerts.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TargetsCreatedId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Targets_Created",
                table: "Targets");

            migrationBuilder.CreateIndex(
                name: "IX_Targets_Created_Id",
                table: "Targets",
                columns: new[] { "Created", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Targets_Created_Id",
                table: "Targets");

            migrationBuilder.CreateIndex(
                name: "IX_Targets_Created",
                table: "Targets",
                column: "Created");
        }
    }
}
