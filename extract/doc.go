// Package extract reads news pages and turns them into clean article text.
//
// The pipeline is: a Source (URL, file or stdin) yields raw bytes; DecodeHTML
// converts them to UTF-8 using the HTTP header, <meta> declarations or a BOM;
// ParseArticle removes boilerplate and collects metadata.
package extract
