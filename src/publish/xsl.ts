/**
 * Browser view of the RSS and Atom feeds. Text only (no disable-output-escaping, which Firefox
 * ignores), so no feed content is ever interpreted as markup in the page.
 */
export const FEED_XSL = `<?xml version="1.0" encoding="UTF-8"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
  <xsl:output method="html" version="5.0" encoding="UTF-8" indent="yes"/>
  <xsl:template match="/">
    <html lang="vi">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="rss/channel/title|atom:feed/atom:title"/></title>
        <style>
          body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}
          .note{background:#fff8e1;border:1px solid #f0d98c;padding:.75rem 1rem;border-radius:6px}
          article{border-bottom:1px solid #ddd;padding:.75rem 0}
          time{color:#666;font-size:.9em}
          a{color:#0b57d0}
        </style>
      </head>
      <body>
        <p class="note">Đây là nguồn tin (feed). Sao chép địa chỉ trang này vào trình đọc tin (Miniflux, Feedly, NetNewsWire…) để theo dõi.</p>
        <xsl:apply-templates select="rss/channel|atom:feed"/>
      </body>
    </html>
  </xsl:template>
  <xsl:template match="channel">
    <h1><a href="{link}"><xsl:value-of select="title"/></a></h1>
    <p><xsl:value-of select="description"/></p>
    <xsl:for-each select="item">
      <article>
        <h2><a href="{link}"><xsl:value-of select="title"/></a></h2>
        <time><xsl:value-of select="pubDate"/></time>
        <p><xsl:value-of select="description"/></p>
      </article>
    </xsl:for-each>
  </xsl:template>
  <xsl:template match="atom:feed">
    <h1><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h1>
    <p><xsl:value-of select="atom:subtitle"/></p>
    <xsl:for-each select="atom:entry">
      <article>
        <h2><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h2>
        <time><xsl:value-of select="atom:published"/></time>
        <p><xsl:value-of select="atom:summary"/></p>
      </article>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
`;
