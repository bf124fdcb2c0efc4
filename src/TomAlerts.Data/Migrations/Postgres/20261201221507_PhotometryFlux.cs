using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TomAlerts.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PhotometryFlux : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "Flux",
                table: "Photometry",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "FluxError",
                table: "Photometry",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FluxUnit",
                table: "Photometry",
                type: "character varying(50)",
                maxLength: 50,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Flux",
                table: "Photometry");

            migrationBuilder.DropColumn(
                name: "FluxError",
                table: "Photometry");

            migrationBuilder.DropColumn(
                name: "FluxUnit",
                table: "Photometry");
        }
    }
}
